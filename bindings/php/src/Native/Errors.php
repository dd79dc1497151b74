<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

use Clarifai\API\Exception;

/**
 * Turns a native `clarifai_error` into the exception of its result code.
 *
 * @internal
 */
final class Errors
{
    /** clarifai_result value => exception class; values absent here become ClarifaiException. */
    private const CLASSES = [
        1 => Exception\InvalidArgumentException::class,      // NULL_ARGUMENT: cannot come from PHP, kept for completeness
        2 => Exception\InvalidArgumentException::class,      // INVALID_ARGUMENT
        3 => Exception\UnknownEndpointException::class,      // UNKNOWN_ENDPOINT
        4 => Exception\MissingConfigException::class,        // MISSING_CONFIG
        5 => Exception\ClarifaiException::class,             // API_ERROR: a status no finer class covers
        6 => Exception\MissingScopesException::class,        // INSUFFICIENT_SCOPES
        7 => Exception\KeyNotFoundException::class,          // KEY_NOT_FOUND
        8 => Exception\KeyInvalidException::class,           // KEY_INVALID
        9 => Exception\InvalidRequestException::class,       // INVALID_REQUEST
        10 => Exception\PatRequiredException::class,         // PAT_REQUIRED
        11 => Exception\ThrottledException::class,           // THROTTLED
        12 => Exception\NotFoundException::class,            // NOT_FOUND
        13 => Exception\MethodNotAllowedException::class,    // METHOD_NOT_ALLOWED
        14 => Exception\TransportException::class,           // CONNECT
        15 => Exception\TransportException::class,           // DNS
        16 => Exception\TransportException::class,           // TIMEOUT
        17 => Exception\TransportException::class,           // TLS
        18 => Exception\TransportException::class,           // BODY_TOO_LARGE
        19 => Exception\TransportException::class,           // REDIRECT_REFUSED
        20 => Exception\TransportException::class,           // IO
        21 => Exception\InvalidArgumentException::class,     // INSECURE_URL: the caller's URL is refused, nothing was sent
        22 => Exception\TransportException::class,           // MALFORMED_RESPONSE: something other than the API answered
        23 => Exception\RotationIncompleteException::class,  // ROTATION_INCOMPLETE
        24 => Exception\StateException::class,               // STATE
        25 => Exception\ClarifaiException::class,            // PANIC: a library bug, reported as is
    ];

    /** @return class-string<Exception\ClarifaiException> */
    public static function classFor(int $result): string
    {
        return self::CLASSES[$result] ?? Exception\ClarifaiException::class;
    }

    /**
     * The exception for an error the caller owns (`$batch` null: the exception takes it over
     * and frees it) or one borrowed from `$batch` (which the exception then keeps alive).
     */
    public static function toException(\FFI $ffi, \FFI\CData $error, ?Owned $batch = null): Exception\ClarifaiException
    {
        $source = $batch === null ? ErrorSource::owned($ffi, $error) : ErrorSource::borrowed($ffi, $error, $batch);
        $result = $ffi->clarifai_error_result($error);
        $missing = [];
        $count = $ffi->clarifai_error_missing_scopes_count($error);
        for ($i = 0; $i < $count; $i++) {
            $missing[] = $ffi->clarifai_error_missing_scope($error, $i);
        }
        $retryAfter = $ffi->clarifai_error_retry_after_secs($error);
        $class = self::classFor($result);
        return new $class(
            $ffi->clarifai_error_message($error),
            $result,
            [
                'result' => $ffi->clarifai_result_name($result),
                'statusCode' => $ffi->clarifai_error_status_code($error),
                'httpStatus' => $ffi->clarifai_error_http_status($error),
                'description' => $ffi->clarifai_error_description($error),
                'details' => $ffi->clarifai_error_details($error),
                'reqId' => $ffi->clarifai_error_req_id($error),
                'missingScopes' => $missing,
                'missingEndpoint' => $ffi->clarifai_error_missing_endpoint($error),
                'retryAfter' => $retryAfter < 0 ? null : $retryAfter,
            ],
            null,
            $source,
        );
    }

    /**
     * Throw the exception of the error in `$cell` (a `clarifai_error*[1]` the failed call
     * wrote); a missing error (impossible by the ABI's contract) still throws, by result code.
     *
     * @return never
     */
    public static function throwFrom(\FFI $ffi, int $result, \FFI\CData $cell): never
    {
        $error = $cell[0];
        $cell[0] = null;
        if ($error === null) {
            $class = self::classFor($result);
            throw new $class($ffi->clarifai_result_name($result), $result, ['result' => $ffi->clarifai_result_name($result)]);
        }
        throw self::toException($ffi, $error);
    }
}
