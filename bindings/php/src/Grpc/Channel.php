<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

use Clarifai\API\ClientOptions;
use Clarifai\API\Exception\ClarifaiException;
use Clarifai\API\Native\Batch;
use Clarifai\API\Native\Errors;
use Clarifai\API\Native\Library;
use Clarifai\API\Native\Strings;

/**
 * The native client behind a V2Client (its settings and connection pool) and the calls started
 * on it that are not sent yet.
 *
 * The first wait() sends every pending call in one clarifai_client_call_many batch per
 * credential, through a view of the client with that credential (clarifai_client_with_api_key),
 * so that calls started before their wait() run concurrently and share the pool.
 *
 * @internal
 */
final class Channel
{
    /**
     * The credential the base client is made with, since the C ABI has no client without one.
     * It is never sent: every call goes out through a view with its own credential, and a call
     * whose metadata holds none is answered here as the API answers it (401, 11102 "Invalid
     * request"). A client that sends no Authorization header (clarifai_client_new_anonymous,
     * requested of the core) would let the API give that answer itself.
     */
    private const NO_CREDENTIAL = 'grpc-client-without-a-credential-of-its-own';

    private const RESULT_OK = 0;
    private const RESULT_INVALID_ARGUMENT = 2;

    /** clarifai_result => the gRPC status code of a call that got no answer (else UNKNOWN). */
    private const GRPC_CODES = [
        1 => CallStatus::INVALID_ARGUMENT,   // NULL_ARGUMENT
        2 => CallStatus::INVALID_ARGUMENT,   // INVALID_ARGUMENT: e.g. a path field the request lacks
        3 => CallStatus::UNIMPLEMENTED,      // UNKNOWN_ENDPOINT
        14 => CallStatus::UNAVAILABLE,       // CONNECT
        15 => CallStatus::UNAVAILABLE,       // DNS
        16 => CallStatus::DEADLINE_EXCEEDED, // TIMEOUT
        17 => CallStatus::UNAVAILABLE,       // TLS
        18 => CallStatus::RESOURCE_EXHAUSTED, // BODY_TOO_LARGE
        19 => CallStatus::UNAVAILABLE,       // REDIRECT_REFUSED
        20 => CallStatus::UNAVAILABLE,       // IO
        21 => CallStatus::INVALID_ARGUMENT,  // INSECURE_URL
        22 => CallStatus::INTERNAL,          // MALFORMED_RESPONSE: something other than the API answered
        24 => CallStatus::UNAVAILABLE,       // STATE
        25 => CallStatus::INTERNAL,          // PANIC
    ];

    private readonly \FFI $ffi;
    private ?\FFI\CData $client = null;
    private readonly \FFI\CData $errorOut;

    /** @var list<PendingCall> */
    private array $pending = [];

    /** Refuses options the library refuses (a bad base URL, plain http:// to a remote host, …). */
    public function __construct(private readonly ClientOptions $options)
    {
        $this->ffi = Library::ffi();
        $this->errorOut = $this->ffi->new('clarifai_error*[1]');
        $this->client = $this->newClient(fn (?\FFI\CData $opts, \FFI\CData $out): int => $this->ffi->clarifai_client_new_api_key(self::NO_CREDENTIAL, $opts, $out, $this->errorOut));
    }

    /** @param class-string<Message> $responseClass */
    public function start(string $rpc, #[\SensitiveParameter] string $params, #[\SensitiveParameter] Authorization|string $authorization, string $responseClass): UnaryCall
    {
        $call = new PendingCall($rpc, $params, $authorization, $responseClass);
        $this->pending[] = $call;
        return new UnaryCall($this, $call);
    }

    /** Send every pending call and wait for all of them. Never throws for a failed call. */
    public function flush(): void
    {
        $calls = $this->pending;
        $this->pending = [];
        $groups = [];
        foreach ($calls as $call) {
            $authorization = $call->authorization;
            $call->authorization = null;
            if ($call->result !== null) {
                continue; // cancelled
            }
            if (\is_string($authorization)) {
                $call->result = self::invalidRequest($call->responseClass, $authorization);
                continue;
            }
            $groups[$authorization->scheme . ' ' . $authorization->token][] = [$call, $authorization];
        }
        foreach ($groups as $group) {
            $this->send($group[0][1], array_column($group, 0));
        }
    }

    public function __destruct()
    {
        $this->ffi->clarifai_client_free($this->client);
    }

    /** @param list<PendingCall> $calls calls with the credential `$authorization` */
    private function send(#[\SensitiveParameter] Authorization $authorization, array $calls): void
    {
        $error = null;
        try {
            $view = $this->view($authorization);
        } catch (ClarifaiException $e) {
            $error = $e;
        }
        if ($error !== null) {
            foreach ($calls as $call) {
                // A token the library refuses to put in a header (whitespace, control characters)
                // makes a malformed header, which the API answers so.
                $call->result = $error->getCode() === self::RESULT_INVALID_ARGUMENT
                    ? self::invalidRequest($call->responseClass, 'the Authorization metadata is malformed: ' . $error->getMessage())
                    : [null, new CallStatus(self::GRPC_CODES[$error->getCode()] ?? CallStatus::UNKNOWN, $error->getMessage())];
            }
            return;
        }
        try {
            $batch = Batch::run($this->ffi, $view, array_map(static fn (PendingCall $c): array => [$c->rpc, $c->params], $calls), null, $this->errorOut);
            foreach ($calls as $i => $call) {
                $call->result = $this->ffi->clarifai_batch_result($batch->ptr, $i) === self::RESULT_OK
                    ? self::answer($call->responseClass, $this->ffi->clarifai_response_json($this->ffi->clarifai_batch_response($batch->ptr, $i)))
                    : $this->failure($call->responseClass, $this->ffi->clarifai_batch_error($batch->ptr, $i));
            }
        } catch (ClarifaiException $e) {
            foreach ($calls as $call) {
                $call->result ??= [null, new CallStatus(self::GRPC_CODES[$e->getCode()] ?? CallStatus::UNKNOWN, $e->getMessage())];
            }
        } finally {
            $this->ffi->clarifai_client_free($view);
        }
    }

    /** The base client with the call's credential, sharing its pool; the caller frees it. */
    private function view(#[\SensitiveParameter] Authorization $authorization): \FFI\CData
    {
        $token = Strings::check($authorization->token, 'the Authorization token');
        if ($authorization->scheme === 'Bearer') {
            // A legacy access token has no view; it gets a client of its own with the same settings.
            return $this->newClient(fn (?\FFI\CData $opts, \FFI\CData $out): int => $this->ffi->clarifai_client_new_deprecated_legacy_token($token, $opts, $out, $this->errorOut));
        }
        $out = $this->ffi->new('clarifai_client*[1]');
        $result = $this->ffi->clarifai_client_with_api_key($this->client, $token, $out, $this->errorOut);
        if ($result !== self::RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        return $out[0];
    }

    /** @param \Closure(?\FFI\CData, \FFI\CData): int $create */
    private function newClient(#[\SensitiveParameter] \Closure $create): \FFI\CData
    {
        $opts = $this->options->toNative($this->ffi);
        $out = $this->ffi->new('clarifai_client*[1]');
        $result = $create($opts?->ptr, $out);
        if ($result !== self::RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        return $out[0];
    }

    /**
     * The response and status of a call the API answered with a failure: the response holds
     * the Clarifai status, as the gRPC API's does; a call that got no answer has a gRPC status.
     *
     * @param class-string<Message> $class
     * @return array{0: ?Message, 1: CallStatus}
     */
    private function failure(string $class, \FFI\CData $error): array
    {
        $code = $this->ffi->clarifai_error_status_code($error);
        if ($code === 0) {
            $result = $this->ffi->clarifai_error_result($error);
            return [null, new CallStatus(self::GRPC_CODES[$result] ?? CallStatus::UNKNOWN, $this->ffi->clarifai_error_message($error))];
        }
        return self::answer($class, self::statusJson(
            $code,
            $this->ffi->clarifai_error_description($error),
            $this->ffi->clarifai_error_details($error),
            $this->ffi->clarifai_error_req_id($error),
        ));
    }

    /**
     * The API's answer to a request without a usable Authorization header.
     *
     * @param class-string<Message> $class
     * @return array{0: ?Message, 1: CallStatus}
     */
    private static function invalidRequest(string $class, string $details): array
    {
        return self::answer($class, self::statusJson(11102, 'Invalid request', $details, ''));
    }

    private static function statusJson(int $code, string $description, string $details, string $reqId): string
    {
        return json_encode(['status' => ['code' => $code, 'description' => $description, 'details' => $details, 'req_id' => $reqId]], JSON_THROW_ON_ERROR);
    }

    /**
     * @param class-string<Message> $class
     * @return array{0: ?Message, 1: CallStatus}
     */
    private static function answer(string $class, #[\SensitiveParameter] string $json): array
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
}
