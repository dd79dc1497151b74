<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

use Clarifai\API\Native\Library;

/**
 * An argument refused before any request was sent: an empty or malformed key or id, a NUL
 * byte, invalid UTF-8, parameters that are not a JSON object, a bad client option.
 *
 * It extends ClarifaiException rather than PHP's \InvalidArgumentException so that one
 * `catch (ClarifaiException $e)` covers every failure of this package, and so it carries the
 * same result name whether PHP or the library refused the argument. (PHP type errors, such as
 * an int where a string is declared, stay PHP's own \TypeError.)
 */
class InvalidArgumentException extends ClarifaiException
{
    private const RESULT = 'CLARIFAI_RESULT_INVALID_ARGUMENT';

    /** A refusal by PHP-side checks, worded like the library's. Never quotes the value. */
    public static function because(string $reason): static
    {
        return new static('invalid argument: ' . $reason, Library::resultValue(self::RESULT), ['result' => self::RESULT]);
    }

    public static function nulByte(string $what): static
    {
        return static::because($what . ' contains a NUL byte');
    }

    public static function notUtf8(string $what): static
    {
        return static::because($what . ' is not valid UTF-8');
    }
}
