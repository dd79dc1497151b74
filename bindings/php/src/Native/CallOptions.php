<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

/**
 * Native `clarifai_call_options`: a call's own total timeout.
 *
 * @internal
 */
final class CallOptions
{
    /**
     * Options with a timeout of `$ms` milliseconds (the library refuses 0, when the call is
     * made), or null for none: the client's timeout applies.
     */
    public static function timeout(\FFI $ffi, ?int $ms): ?Owned
    {
        if ($ms === null) {
            return null;
        }
        $options = new Owned($ffi, $ffi->clarifai_call_options_new(), 'clarifai_call_options_free');
        $error = Out::cell($ffi, 'clarifai_error');
        $result = $ffi->clarifai_call_options_set_timeout_ms($options->ptr, Unsigned::check($ms, 'the timeout in milliseconds', 'uint64_t'), $error);
        if ($result !== $ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($ffi, $result, $error);
        }
        return $options;
    }
}
