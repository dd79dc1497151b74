<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

use Clarifai\API\Exception\InvalidArgumentException;

/**
 * PHP integers handed to unsigned C parameters. FFI would wrap a negative number around (-1
 * becoming the largest value) and cut one too wide for the type, silently passing another
 * number than the caller wrote; such a number has no C value, so it is refused here, as a C
 * compiler refuses a value outside the parameter's type. Every value the type can hold goes to
 * the library, which alone decides what it accepts.
 *
 * @internal
 */
final class Unsigned
{
    private const MAX = ['uint32_t' => 0xFFFFFFFF, 'uint64_t' => PHP_INT_MAX, 'size_t' => PHP_INT_MAX];

    /** @param 'uint32_t'|'uint64_t'|'size_t' $type */
    public static function check(int $value, string $what, string $type): int
    {
        if ($value < 0 || $value > self::MAX[$type]) {
            throw InvalidArgumentException::because(sprintf('%s is %d, which does not fit the C type %s', $what, $value, $type));
        }
        return $value;
    }
}
