<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

use Clarifai\API\Exception;

/**
 * Turns a native `clarifai_error` into the exception of its result's kind.
 *
 * The kind of each result comes from ErrorKinds (generated from docs/errors.md), the result's
 * value from the C declarations through FFI: nothing here copies either. Each kind is the class
 * `Clarifai\API\Exception\{Kind}Exception` (Internal: ClarifaiException itself), as the
 * PHP column of docs/errors.md names them.
 *
 * @internal
 */
final class Errors
{
    /**
     * A result whose class is a subclass of its kind's: MISSING_CONFIG was thrown as
     * MissingConfigException before the Configuration kind existed, and still is, so that
     * `catch (MissingConfigException)` keeps working; it is a ConfigurationException.
     */
    private const NARROWER = [
        'CLARIFAI_RESULT_MISSING_CONFIG' => Exception\MissingConfigException::class,
    ];

    /** @var array<int, class-string<Exception\ClarifaiException>>|null by result value */
    private static ?array $classes = null;

    /** @return class-string<Exception\ClarifaiException> the class of a result's kind */
    public static function classOfKind(string $kind): string
    {
        return $kind === 'Internal' ? Exception\ClarifaiException::class : 'Clarifai\\API\\Exception\\' . $kind . 'Exception';
    }

    /** @return class-string<Exception\ClarifaiException> the class a result value is thrown as */
    public static function classFor(int $result): string
    {
        if (self::$classes === null) {
            $ffi = Library::ffi();
            $classes = [];
            foreach (ErrorKinds::KINDS as $name => $kind) {
                $classes[$ffi->{$name}] = self::NARROWER[$name] ?? self::classOfKind($kind);
            }
            self::$classes = $classes;
        }
        return self::$classes[$result] ?? Exception\ClarifaiException::class;
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
