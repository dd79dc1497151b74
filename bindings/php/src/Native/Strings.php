<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

use Clarifai\API\Exception\InvalidArgumentException;

/**
 * Checks on strings handed to C.
 *
 * FFI passes a PHP string's buffer as is, so a NUL byte inside it would silently cut the
 * string short (a key "abc\0def" would be sent as "abc"); such strings are refused here.
 * UTF-8 is checked here too, so the refusal names the PHP argument. The values are often
 * secrets, hence #[\SensitiveParameter].
 *
 * @internal
 */
final class Strings
{
    public static function check(#[\SensitiveParameter] string $value, string $what): string
    {
        if (str_contains($value, "\0")) {
            throw InvalidArgumentException::nulByte($what);
        }
        if (preg_match('//u', $value) !== 1) {
            throw InvalidArgumentException::notUtf8($what);
        }
        return $value;
    }

    public static function checkOptional(#[\SensitiveParameter] ?string $value, string $what): ?string
    {
        return $value === null ? null : self::check($value, $what);
    }

    /**
     * Request fields as the JSON object the library expects; null for none.
     *
     * @param array<mixed>|object $params
     */
    public static function params(#[\SensitiveParameter] array|object $params, string $what = 'params'): ?string
    {
        if ($params === []) {
            return null;
        }
        if (\is_array($params) && array_is_list($params)) {
            throw InvalidArgumentException::because($what . ' must be an array of named fields, not a list');
        }
        return self::json($params, $what);
    }

    public static function json(#[\SensitiveParameter] mixed $value, string $what): string
    {
        try {
            return json_encode($value, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
        } catch (\JsonException $e) {
            if ($e->getCode() === JSON_ERROR_UTF8) {
                throw InvalidArgumentException::notUtf8($what);
            }
            throw InvalidArgumentException::because(sprintf('%s cannot be encoded as JSON (%s)', $what, $e->getMessage()));
        }
    }

    /** @return array<mixed> */
    public static function decode(string $json): array
    {
        // The library only hands over bodies it parsed as a JSON object; depth is the API's own.
        return json_decode($json, true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
    }
}
