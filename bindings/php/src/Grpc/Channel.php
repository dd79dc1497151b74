<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

use Clarifai\API\ClientOptions;
use Clarifai\API\Exception\ClarifaiException;
use Clarifai\API\Native\CallOptions;
use Clarifai\API\Native\ErrorKinds;
use Clarifai\API\Native\Errors;
use Clarifai\API\Native\Library;
use Clarifai\API\Native\Owned;
use Clarifai\API\Native\Out;
use Clarifai\API\Native\Strings;

/**
 * The native client behind a V2Client: a client with no credential of its own
 * (clarifai_client_new_without_credential), its settings and connection pool.
 *
 * Each call starts at once with clarifai_client_call_start, through a view of that client with
 * the call's credential (clarifai_client_with_api_key: same pool, same settings), and runs on
 * the library's runtime while PHP goes on; UnaryCall::wait() collects it. A call whose
 * metadata holds no credential goes out without one, and the API answers it.
 *
 * @internal
 */
final class Channel
{
    /** The gRPC code of a call that got no answer, by the kind of its result (else UNKNOWN). */
    private const GRPC_CODES_BY_KIND = [
        'InvalidArgument' => CallStatus::INVALID_ARGUMENT,
        'UnknownEndpoint' => CallStatus::UNIMPLEMENTED,
        'Configuration' => CallStatus::INVALID_ARGUMENT,
        'Transport' => CallStatus::UNAVAILABLE,
        'State' => CallStatus::FAILED_PRECONDITION,
        'Cancelled' => CallStatus::CANCELLED,
        'Internal' => CallStatus::INTERNAL,
    ];

    /** Results whose gRPC code is finer than their kind's. */
    private const GRPC_CODES_BY_RESULT = [
        'CLARIFAI_RESULT_TIMEOUT' => CallStatus::DEADLINE_EXCEEDED,
        'CLARIFAI_RESULT_BODY_TOO_LARGE' => CallStatus::RESOURCE_EXHAUSTED,
        // Something other than the API answered.
        'CLARIFAI_RESULT_MALFORMED_RESPONSE' => CallStatus::INTERNAL,
    ];

    private readonly \FFI $ffi;
    private readonly Owned $client;
    private readonly \FFI\CData $errorOut;

    /** Refuses options the library refuses (a bad base URL, plain http:// to a remote host, …). */
    public function __construct(#[\SensitiveParameter] private readonly ClientOptions $options)
    {
        $this->ffi = Library::ffi();
        $this->errorOut = Out::cell($this->ffi, 'clarifai_error');
        $this->client = $this->newClient(fn (?\FFI\CData $opts, \FFI\CData $out): int => $this->ffi->clarifai_client_new_without_credential($opts, $out, $this->errorOut));
    }

    /**
     * Start a call; it runs while the caller goes on.
     *
     * @param string $params the request's JSON
     * @param Authorization|string|null $authorization the call's credential; null for none (sent
     *     without one); a string saying why the metadata's is unusable (answered here, as the API
     *     answers a malformed header, since the library sends no such header)
     * @param ?int $timeoutMs the call's deadline; null for the client's timeout
     * @param class-string<Message> $responseClass
     */
    public function start(string $rpc, #[\SensitiveParameter] string $params, #[\SensitiveParameter] Authorization|string|null $authorization, ?int $timeoutMs, string $responseClass): UnaryCall
    {
        if (\is_string($authorization)) {
            return UnaryCall::answered(self::answer($responseClass, self::statusJson(11102, 'Invalid request', $authorization, '')));
        }
        if ($timeoutMs !== null && $timeoutMs <= 0) {
            // A deadline already past, as the grpc package treats it.
            return UnaryCall::answered([null, new CallStatus(CallStatus::DEADLINE_EXCEEDED, 'Deadline Exceeded')]);
        }
        try {
            $view = $authorization === null ? null : $this->view($authorization);
        } catch (ClarifaiException $e) {
            // A token the library refuses to put in a header (whitespace, control characters)
            // makes a malformed header, which the API answers so.
            return UnaryCall::answered($e->getResult() === 'CLARIFAI_RESULT_INVALID_ARGUMENT'
                ? self::answer($responseClass, self::statusJson(11102, 'Invalid request', 'the Authorization metadata is malformed: ' . $e->getMessage(), ''))
                : [null, new CallStatus(self::grpcCode((string) $e->getResult()), $e->getMessage())]);
        }
        try {
            $options = CallOptions::timeout($this->ffi, $timeoutMs);
            $out = Out::cell($this->ffi, 'clarifai_call');
            $result = $this->ffi->clarifai_client_call_start($view?->ptr ?? $this->client->ptr, $rpc, $params, $options?->ptr, $out, $this->errorOut);
        } finally {
            // The call keeps what it needs of the view: the view may go at once.
            unset($view);
        }
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            return UnaryCall::answered(self::failure($this->ffi, $responseClass, $this->takeError()));
        }
        return UnaryCall::started($this->ffi, new Owned($this->ffi, $out[0], 'clarifai_call_free'), $responseClass);
    }

    /**
     * The response and status of a call that ended with `$error` (which this frees): a call
     * the API answered has the response holding the Clarifai status, as the gRPC API's does,
     * and status OK; a call that got no answer (or was cancelled) has no response and the gRPC
     * code of what went wrong.
     *
     * @param class-string<Message> $class
     * @return array{0: ?Message, 1: CallStatus}
     */
    public static function failure(\FFI $ffi, string $class, \FFI\CData $error): array
    {
        try {
            $code = $ffi->clarifai_error_status_code($error);
            if ($code === 0) {
                $result = $ffi->clarifai_result_name($ffi->clarifai_error_result($error));
                return [null, new CallStatus(self::grpcCode($result), $ffi->clarifai_error_message($error))];
            }
            return self::answer($class, self::statusJson(
                $code,
                $ffi->clarifai_error_description($error),
                $ffi->clarifai_error_details($error),
                $ffi->clarifai_error_req_id($error),
            ));
        } finally {
            $ffi->clarifai_error_free($error);
        }
    }

    /**
     * The response in the API's JSON, as a message of `$class`.
     *
     * @param class-string<Message> $class
     * @return array{0: ?Message, 1: CallStatus}
     */
    public static function answer(string $class, #[\SensitiveParameter] string $json): array
    {
        $response = new $class();
        try {
            // Fields a newer API added are skipped, as clarifai-grpc's JSON channel does.
            $response->mergeFromJsonString($json, true);
        } catch (ClarifaiException $e) {
            return [null, new CallStatus(CallStatus::INTERNAL, 'the response could not be read: ' . $e->getMessage())];
        }
        return [$response, new CallStatus(CallStatus::OK)];
    }

    /** The base client with the call's credential, sharing its pool; freed when it goes. */
    private function view(#[\SensitiveParameter] Authorization $authorization): Owned
    {
        $token = Strings::check($authorization->token, 'the Authorization token');
        if ($authorization->scheme === 'Bearer') {
            // A legacy access token has no view; it gets a client of its own with the same settings.
            return $this->newClient(fn (?\FFI\CData $opts, \FFI\CData $out): int => $this->ffi->clarifai_client_new_deprecated_legacy_token($token, $opts, $out, $this->errorOut));
        }
        $out = Out::cell($this->ffi, 'clarifai_client');
        $result = $this->ffi->clarifai_client_with_api_key($this->client->ptr, $token, $out, $this->errorOut);
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        return new Owned($this->ffi, $out[0], 'clarifai_client_free');
    }

    /** @param \Closure(?\FFI\CData, \FFI\CData): int $create */
    private function newClient(#[\SensitiveParameter] \Closure $create): Owned
    {
        $opts = $this->options->toNative($this->ffi);
        $out = Out::cell($this->ffi, 'clarifai_client');
        $result = $create($opts?->ptr, $out);
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        return new Owned($this->ffi, $out[0], 'clarifai_client_free');
    }

    private function takeError(): \FFI\CData
    {
        $error = $this->errorOut[0];
        $this->errorOut[0] = null;
        return $error;
    }

    private static function grpcCode(string $result): int
    {
        return self::GRPC_CODES_BY_RESULT[$result]
            ?? self::GRPC_CODES_BY_KIND[ErrorKinds::KINDS[$result] ?? '']
            ?? CallStatus::UNKNOWN;
    }

    private static function statusJson(int $code, string $description, string $details, string $reqId): string
    {
        return json_encode(['status' => ['code' => $code, 'description' => $description, 'details' => $details, 'req_id' => $reqId]], JSON_THROW_ON_ERROR);
    }
}
