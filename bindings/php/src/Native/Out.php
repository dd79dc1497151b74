<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

/**
 * Out-parameter cells: a one-element array of `T *`, passed where the C function wants `T **`
 * and read back with `[0]`.
 *
 * The array types are parsed once per process and reused: PHP 8.2's FFI keeps about 120
 * bytes for good each time a pointer is read out of an array whose type was parsed from a
 * string by that FFI::new() call, which a long-running worker making one cell per call would
 * accumulate without bound.
 *
 * @internal
 */
final class Out
{
    /** @var array<string, \FFI\CType> by pointee type */
    private static array $types = [];

    /** A cell for one `$type *` (e.g. "clarifai_error"), holding NULL. */
    public static function cell(\FFI $ffi, string $type): \FFI\CData
    {
        return $ffi->new(self::$types[$type] ??= $ffi->type($type . '*[1]'));
    }
}
