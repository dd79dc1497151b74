<?php

declare(strict_types=1);

namespace Clarifai\API;

use Clarifai\API\Exception\ClarifaiException;
use Clarifai\API\Exception\InvalidArgumentException;
use Clarifai\API\Exception\MissingScopesException;
use Clarifai\API\Exception\PatRequiredException;
use Clarifai\API\Native\Batch;
use Clarifai\API\Native\CallOptions;
use Clarifai\API\Native\CStrings;
use Clarifai\API\Native\Errors;
use Clarifai\API\Native\Library;
use Clarifai\API\Native\Owned;
use Clarifai\API\Native\Out;
use Clarifai\API\Native\Strings;
use Clarifai\API\Native\Unsigned;

/**
 * A Clarifai API client: a credential, settings and a keep-alive connection pool in the
 * native library.
 *
 *     $client = new ClarifaiClient('YOUR_API_KEY');
 *     $client = ClarifaiClient::withPat('YOUR_PAT', 'me', 'my-app');
 *     $client = ClarifaiClient::fromEnv();
 *
 * Every failure throws a ClarifaiException subclass. Native memory is freed when the client
 * object goes (there is nothing to close).
 *
 * Every parameter that can carry a secret (a key, a PAT, a key id, call parameters and paths,
 * which may hold key ids) is a #[\SensitiveParameter], so exception traces never keep it,
 * whatever zend.exception_ignore_args says.
 */
final class ClarifaiClient
{
    private \FFI $ffi;
    private ?\FFI\CData $client = null;

    // Out-parameter cells reused by every call: a one-element array passes as `T **` and reading
    // `[0]` copies the pointer out, so no FFI::addr() or new cell is needed per call.
    private \FFI\CData $responseOut;
    private \FFI\CData $errorOut;
    private \FFI\CData $stringOut;

    /**
     * A client authorizing with an app-specific API key; requests use the bare paths.
     *
     * @param array<string, mixed>|ClientOptions $options see ClientOptions
     */
    public function __construct(#[\SensitiveParameter] string $apiKey, #[\SensitiveParameter] array|ClientOptions $options = [])
    {
        $this->bind(static function (\FFI $ffi, ?\FFI\CData $opts, \FFI\CData $out, \FFI\CData $error) use ($apiKey): int {
            return $ffi->clarifai_client_new_api_key(Strings::check($apiKey, 'API key'), $opts, $out, $error);
        }, $options);
    }

    /**
     * A client authorizing with a Personal Access Token, acting on `$userId` ("me" for the
     * token's owner) and `$appId` unless a call's parameters name another `user_app_id`.
     *
     * @param array<string, mixed>|ClientOptions $options
     */
    public static function withPat(#[\SensitiveParameter] string $pat, string $userId, string $appId, #[\SensitiveParameter] array|ClientOptions $options = []): self
    {
        $client = self::blank();
        $client->bind(static function (\FFI $ffi, ?\FFI\CData $opts, \FFI\CData $out, \FFI\CData $error) use ($pat, $userId, $appId): int {
            return $ffi->clarifai_client_new_pat(
                Strings::check($pat, 'PAT'),
                Strings::check($userId, 'user id'),
                Strings::check($appId, 'app id'),
                $opts,
                $out,
                $error,
            );
        }, $options);
        return $client;
    }

    /**
     * A client from the environment, as the official SDK reads it: CLARIFAI_PAT with
     * CLARIFAI_USER_ID and CLARIFAI_APP_ID, else CLARIFAI_API_KEY; CLARIFAI_API_BASE;
     * CLARIFAI_ROOT_CERTIFICATES_PATH. Settings in `$options` win over the environment.
     *
     * @param array<string, mixed>|ClientOptions $options
     * @throws Exception\MissingConfigException naming the missing variables
     */
    public static function fromEnv(#[\SensitiveParameter] array|ClientOptions $options = []): self
    {
        $client = self::blank();
        $client->bind(static function (\FFI $ffi, ?\FFI\CData $opts, \FFI\CData $out, \FFI\CData $error): int {
            return $ffi->clarifai_client_new_from_env($opts, $out, $error);
        }, $options);
        return $client;
    }

    /**
     * A client using `$apiKey` for its calls, sharing this client's connection pool and
     * settings: the per-request credential override. This client is unchanged.
     *
     * (Named `using…` because PHP cannot have both the static constructor withPat() and an
     * instance method of that name.)
     */
    public function usingApiKey(#[\SensitiveParameter] string $apiKey): self
    {
        $client = self::blank();
        $client->bind(function (\FFI $ffi, ?\FFI\CData $opts, \FFI\CData $out, \FFI\CData $error) use ($apiKey): int {
            return $ffi->clarifai_client_with_api_key($this->client, Strings::check($apiKey, 'API key'), $out, $error);
        }, []);
        return $client;
    }

    /** A client using a PAT (with its user and app) for its calls, sharing this client's pool. */
    public function usingPat(#[\SensitiveParameter] string $pat, string $userId, string $appId): self
    {
        $client = self::blank();
        $client->bind(function (\FFI $ffi, ?\FFI\CData $opts, \FFI\CData $out, \FFI\CData $error) use ($pat, $userId, $appId): int {
            return $ffi->clarifai_client_with_pat(
                $this->client,
                Strings::check($pat, 'PAT'),
                Strings::check($userId, 'user id'),
                Strings::check($appId, 'app id'),
                $out,
                $error,
            );
        }, []);
        return $client;
    }

    /**
     * The number of worker threads of the library's runtime, the one per process that runs every
     * request (default: the header's CLARIFAI_DEFAULT_RUNTIME_WORKER_THREADS, or the environment
     * variable CLARIFAI_RUNTIME_THREADS). Call it before the process's first request: once the
     * runtime runs with another count this throws a StateException. The library checks the
     * range (1 to CLARIFAI_MAX_RUNTIME_WORKER_THREADS).
     */
    public static function setRuntimeWorkerThreads(int $threads): void
    {
        $ffi = Library::ffi();
        $error = Out::cell($ffi, 'clarifai_error');
        $result = $ffi->clarifai_runtime_set_worker_threads(Unsigned::check($threads, 'threads', 'size_t'), $error);
        if ($result !== $ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($ffi, $result, $error);
        }
    }

    /** The library version, e.g. "0.1.0". */
    public static function version(): string
    {
        return Library::ffi()->clarifai_version();
    }

    /** "api_key", "pat" or "legacy_token": the kind of credential this client sends. */
    public function credentialKind(): string
    {
        return match ($this->ffi->clarifai_client_credential_kind($this->client)) {
            $this->ffi->CLARIFAI_CREDENTIAL_KIND_API_KEY => 'api_key',
            $this->ffi->CLARIFAI_CREDENTIAL_KIND_PAT => 'pat',
            $this->ffi->CLARIFAI_CREDENTIAL_KIND_LEGACY_TOKEN => 'legacy_token',
            $this->ffi->CLARIFAI_CREDENTIAL_KIND_NONE => 'none',
        };
    }

    /**
     * Call an RPC by name (e.g. "PostModelOutputs") with its request fields. Path fields
     * (model_id, input_id, …) are taken from `$params`; `user_app_id` from `$params` (an array
     * or a UserAppIDSet) or, for a PAT, from the client.
     *
     * @param array<string, mixed> $params
     * @return array<mixed> the decoded response body, `status` included
     */
    public function call(string $endpoint, #[\SensitiveParameter] array $params = []): array
    {
        $result = $this->ffi->clarifai_client_call(
            $this->client,
            Strings::check($endpoint, 'endpoint'),
            $params === [] ? null : Strings::params($params),
            $this->responseOut,
            $this->errorOut,
        );
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        return $this->takeBody();
    }

    /**
     * call(), returning the response with its status and headers.
     *
     * @param array<string, mixed> $params
     */
    public function callResponse(string $endpoint, #[\SensitiveParameter] array $params = []): Response
    {
        $result = $this->ffi->clarifai_client_call(
            $this->client,
            Strings::check($endpoint, 'endpoint'),
            $params === [] ? null : Strings::params($params),
            $this->responseOut,
            $this->errorOut,
        );
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        return $this->takeResponse();
    }

    /**
     * A raw request: `$method` GET, POST, PATCH, PUT or DELETE; `$path` starting with "/"
     * (query string allowed), relative to the base URL; `$body` null for none.
     *
     * @param array<string, mixed>|null $body
     * @return array<mixed> the decoded response body
     */
    public function request(string $method, #[\SensitiveParameter] string $path, #[\SensitiveParameter] ?array $body = null): array
    {
        $this->sendRequest($method, $path, $body);
        return $this->takeBody();
    }

    /**
     * request(), returning the response with its status and headers.
     *
     * @param array<string, mixed>|null $body
     */
    public function requestResponse(string $method, #[\SensitiveParameter] string $path, #[\SensitiveParameter] ?array $body = null): Response
    {
        $this->sendRequest($method, $path, $body);
        return $this->takeResponse();
    }

    /**
     * Run many calls concurrently inside the native runtime (at most maxConcurrency at once)
     * and wait for all. Each call is `[$endpoint]` or `[$endpoint, $params]`.
     *
     * A failing call fails alone: its slot holds the exception (not thrown), so check with
     * `instanceof ClarifaiException`. Results keep the keys and order of `$calls`.
     *
     * `$options['timeout']`: each call's deadline in seconds (int or float), instead of the
     * client's timeoutMs; a call past it fails with a TransportException (TIMEOUT) in its slot.
     *
     * @param array<array-key, array{0: string, 1?: array<string, mixed>}> $calls
     * @param array{timeout?: int|float} $options
     * @return array<array-key, array<mixed>|ClarifaiException>
     */
    public function callMany(#[\SensitiveParameter] array $calls, array $options = []): array
    {
        $callOptions = CallOptions::timeout($this->ffi, self::timeoutMs($options));
        $results = [];
        $keys = [];
        $strings = [];
        foreach ($calls as $key => $call) {
            if (!\is_array($call) || !isset($call[0]) || !\is_string($call[0])
                || (isset($call[1]) && !\is_array($call[1])) || \count($call) > 2) {
                throw InvalidArgumentException::because(sprintf('call %s must be [string $endpoint, array $params]', $key));
            }
            try {
                $endpoint = Strings::check($call[0], sprintf('endpoint of call %s', $key));
                $params = Strings::params($call[1] ?? [], sprintf('params of call %s', $key));
            } catch (InvalidArgumentException $e) {
                $results[$key] = $e;
                continue;
            }
            $results[$key] = null;
            $keys[] = $key;
            $strings[] = [$endpoint, $params];
        }
        if ($keys === []) {
            return $results;
        }
        $batch = Batch::run($this->ffi, $this->client, $strings, $callOptions, $this->errorOut);
        foreach ($keys as $i => $key) {
            if ($this->ffi->clarifai_batch_result($batch->ptr, $i) === $this->ffi->CLARIFAI_RESULT_OK) {
                $response = $this->ffi->clarifai_batch_response($batch->ptr, $i);
                $results[$key] = Strings::decode($this->ffi->clarifai_response_json($response));
            } else {
                // The exception borrows its error from the batch and keeps the batch alive.
                $results[$key] = Errors::toException($this->ffi, $this->ffi->clarifai_batch_error($batch->ptr, $i), $batch);
            }
        }
        return $results;
    }

    /**
     * What the credential may do (MyScopes), cached for can(), in the docs' spelling:
     * `['scopes' => [every scope it has: those granted and their dependencies],
     * 'granted' => [as granted], 'endpoints' => [the endpoints MyScopes says it may call],
     * 'endpoint_grant' => [the endpoints it is limited to; empty: no limit],
     * 'app' => ['user_id' => …, 'app_id' => …] (an app key's app) or null,
     * 'unknown_scopes' => [names this library does not know]]`.
     *
     * @return array{scopes: list<string>, granted: list<string>, endpoints: list<string>,
     *     endpoint_grant: list<string>, app: ?array{user_id: string, app_id: string},
     *     unknown_scopes: list<string>}
     */
    public function myScopes(): array
    {
        $out = Out::cell($this->ffi, 'clarifai_scopes');
        $result = $this->ffi->clarifai_client_my_scopes($this->client, $out, $this->errorOut);
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        $scopes = new Owned($this->ffi, $out[0], 'clarifai_scopes_free');
        $list = fn (string $count, string $get): array => $this->strings($scopes->ptr, $count, $get);
        $userId = $this->ffi->clarifai_scopes_app_user_id($scopes->ptr);
        $appId = $this->ffi->clarifai_scopes_app_id($scopes->ptr);
        return [
            'scopes' => $list('clarifai_scopes_count', 'clarifai_scopes_get'),
            'granted' => $list('clarifai_scopes_granted_count', 'clarifai_scopes_granted'),
            'endpoints' => $list('clarifai_scopes_endpoint_count', 'clarifai_scopes_endpoint'),
            'endpoint_grant' => $list('clarifai_scopes_endpoint_grant_count', 'clarifai_scopes_endpoint_grant'),
            'app' => $userId === null || $appId === null ? null : ['user_id' => $userId, 'app_id' => $appId],
            'unknown_scopes' => $list('clarifai_scopes_unknown_count', 'clarifai_scopes_unknown'),
        ];
    }

    /**
     * Preflight: may this credential call `$endpoint`? Answers without a request once the
     * scopes are cached (the first check fetches them with MyScopes). A denial names every
     * missing scope and the missing endpoint grant.
     */
    public function can(string $endpoint): Preflight
    {
        $result = $this->ffi->clarifai_client_check($this->client, Strings::check($endpoint, 'endpoint'), $this->errorOut);
        if ($result === $this->ffi->CLARIFAI_RESULT_OK) {
            return new Preflight($endpoint, true);
        }
        // A denial decided locally has status code 0; a status from the server means fetching the
        // scopes failed (e.g. a key whose endpoint list lacks MyScopes): that is no answer, throw.
        if (($result !== $this->ffi->CLARIFAI_RESULT_INSUFFICIENT_SCOPES && $result !== $this->ffi->CLARIFAI_RESULT_PAT_REQUIRED)
            || $this->ffi->clarifai_error_status_code($this->errorOut[0]) !== 0) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        $error = $this->errorOut[0];
        $this->errorOut[0] = null;
        $denial = Errors::toException($this->ffi, $error);
        return new Preflight(
            $endpoint,
            false,
            $denial instanceof MissingScopesException ? $denial->getMissingScopes() : [],
            $denial instanceof MissingScopesException ? ($denial->getMissingEndpoints()[0] ?? null) : null,
            $denial instanceof PatRequiredException,
            $denial->getMessage(),
        );
    }

    /**
     * The gRPC metadata the official Clarifai gRPC client wants:
     * `['Authorization' => ['Key …']]`. It holds the secret: do not log it.
     *
     * @return array{Authorization: array{0: string}}
     */
    public function metadata(): array
    {
        $result = $this->ffi->clarifai_client_grpc_metadata($this->client, $this->stringOut, $this->errorOut);
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        return ['Authorization' => [$this->takeString()]];
    }

    /**
     * Create an app owned by the PAT's user (PostApps). Needs a PAT client.
     *
     * @return array<mixed> the decoded response body
     */
    public function createApp(string $appId, ?string $description = null): array
    {
        $result = $this->ffi->clarifai_client_create_app(
            $this->client,
            Strings::check($appId, 'app id'),
            Strings::checkOptional($description, 'description'),
            $this->responseOut,
            $this->errorOut,
        );
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        return $this->takeBody();
    }

    /**
     * Create an app key (PostKeys; needs a PAT client) for app `$appId` of `$userId` (null:
     * the PAT's own user). `$scopes` in either spelling ("Inputs:Add" or "Inputs_Add"); unknown
     * names are refused before any request. `$endpoints` (RPC names) null or empty allows every
     * endpoint the scopes allow.
     *
     * @param list<string> $scopes
     * @param list<string>|null $endpoints RPC names
     * @return array{id: string, description: string, scopes: list<string>, endpoints: list<string>, apps: list<array{user_id: string, id: string}>}
     *     the new key; its `id` is the new secret
     */
    public function createKey(string $appId, array $scopes, ?array $endpoints = null, string $description = '', ?string $userId = null): array
    {
        $scopeArray = new CStrings($this->ffi, self::checkedList($scopes, 'scopes'));
        $endpointArray = new CStrings($this->ffi, self::checkedList($endpoints ?? [], 'endpoints'));
        $out = Out::cell($this->ffi, 'clarifai_key');
        $result = $this->ffi->clarifai_client_create_key(
            $this->client,
            Strings::check($description, 'description'),
            $scopeArray->pointers,
            $scopeArray->count,
            $endpointArray->pointers,
            $endpointArray->count,
            Strings::checkOptional($userId, 'user id'),
            Strings::check($appId, 'app id'),
            $out,
            $this->errorOut,
        );
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        return $this->takeKey($out[0]);
    }

    /**
     * The PAT user's keys (ListKeys), each shaped as createKey() returns it.
     *
     * @return list<array{id: string, description: string, scopes: list<string>, endpoints: list<string>, apps: list<array{user_id: string, id: string}>}>
     */
    public function listKeys(): array
    {
        $out = Out::cell($this->ffi, 'clarifai_key_list');
        $result = $this->ffi->clarifai_client_list_keys($this->client, $out, $this->errorOut);
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        $list = new Owned($this->ffi, $out[0], 'clarifai_key_list_free');
        $keys = [];
        for ($i = 0, $n = $this->ffi->clarifai_key_list_len($list->ptr); $i < $n; $i++) {
            $keys[] = $this->keyArray($this->ffi->clarifai_key_list_get($list->ptr, $i));
        }
        return $keys;
    }

    /** Delete a key (DeleteKey; needs a PAT client). */
    public function deleteKey(#[\SensitiveParameter] string $keyId): void
    {
        $result = $this->ffi->clarifai_client_delete_key($this->client, Strings::check($keyId, 'key id'), $this->errorOut);
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
    }

    /**
     * Replace a key by a new one with the same description, scopes, endpoints and app, then
     * delete the old one (needs a PAT client).
     *
     * @return array{id: string, description: string, scopes: list<string>, endpoints: list<string>, apps: list<array{user_id: string, id: string}>}
     *     the new key, shaped as createKey() returns it
     * @throws Exception\RotationIncompleteException when the old key could not be deleted (both work)
     */
    public function rotateKey(#[\SensitiveParameter] string $keyId): array
    {
        $out = Out::cell($this->ffi, 'clarifai_key');
        $result = $this->ffi->clarifai_client_rotate_key($this->client, Strings::check($keyId, 'key id'), $out, $this->errorOut);
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        return $this->takeKey($out[0]);
    }

    public function __destruct()
    {
        if ($this->client !== null) {
            $this->ffi->clarifai_client_free($this->client);
            $this->client = null;
        }
    }

    /** Copying the object would copy the native pointer, and free it twice. */
    private function __clone()
    {
    }

    private static function blank(): self
    {
        return (new \ReflectionClass(self::class))->newInstanceWithoutConstructor();
    }

    /**
     * Create the native client with `$create(ffi, options, out, error)` and take it over.
     *
     * @param \Closure(\FFI, ?\FFI\CData, \FFI\CData, \FFI\CData): int $create
     * @param array<string, mixed>|ClientOptions $options
     */
    private function bind(#[\SensitiveParameter] \Closure $create, #[\SensitiveParameter] array|ClientOptions $options): void
    {
        $this->ffi = Library::ffi();
        $this->responseOut = Out::cell($this->ffi, 'clarifai_response');
        $this->errorOut = Out::cell($this->ffi, 'clarifai_error');
        $this->stringOut = Out::cell($this->ffi, 'char');
        $opts = ClientOptions::from($options)->toNative($this->ffi);
        $out = Out::cell($this->ffi, 'clarifai_client');
        $result = $create($this->ffi, $opts?->ptr, $out, $this->errorOut);
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
        $this->client = $out[0];
    }

    private function sendRequest(string $method, #[\SensitiveParameter] string $path, #[\SensitiveParameter] ?array $body): void
    {
        $result = $this->ffi->clarifai_client_request(
            $this->client,
            Strings::check($method, 'method'),
            Strings::check($path, 'path'),
            $body === null ? null : ($body === [] ? '{}' : Strings::json($body, 'body')),
            $this->responseOut,
            $this->errorOut,
        );
        if ($result !== $this->ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($this->ffi, $result, $this->errorOut);
        }
    }

    /** @return array<mixed> the body of the response just written to the out cell, which is freed */
    private function takeBody(): array
    {
        $response = $this->responseOut[0];
        try {
            return Strings::decode($this->ffi->clarifai_response_json($response));
        } finally {
            $this->ffi->clarifai_response_free($response);
        }
    }

    private function takeResponse(): Response
    {
        return new Response($this->ffi, new Owned($this->ffi, $this->responseOut[0], 'clarifai_response_free'));
    }

    /**
     * The call deadline of `$options` (`timeout`, seconds) in milliseconds, or null.
     *
     * @param array<string, mixed> $options
     */
    private static function timeoutMs(array $options): ?int
    {
        $timeout = null;
        foreach ($options as $name => $value) {
            if ($name !== 'timeout') {
                throw InvalidArgumentException::because(sprintf('unknown call option %s (known: timeout)', $name));
            }
            if (!\is_int($value) && !\is_float($value)) {
                throw InvalidArgumentException::because(sprintf('the call option timeout must be a number of seconds, not %s', get_debug_type($value)));
            }
            $timeout = (int) ceil($value * 1000);
        }
        return $timeout;
    }

    /** A key the library handed over, as an array; the key (and its secret id) is then wiped and freed. */
    private function takeKey(\FFI\CData $key): array
    {
        try {
            return $this->keyArray($key);
        } finally {
            $this->ffi->clarifai_key_free($key);
        }
    }

    /** @return array{id: string, description: string, scopes: list<string>, endpoints: list<string>, apps: list<array{user_id: string, id: string}>} */
    private function keyArray(\FFI\CData $key): array
    {
        $apps = [];
        for ($i = 0, $n = $this->ffi->clarifai_key_app_count($key); $i < $n; $i++) {
            $apps[] = ['user_id' => $this->ffi->clarifai_key_app_user_id($key, $i), 'id' => $this->ffi->clarifai_key_app_id($key, $i)];
        }
        return [
            'id' => $this->ffi->clarifai_key_id($key),
            'description' => $this->ffi->clarifai_key_description($key),
            'scopes' => $this->strings($key, 'clarifai_key_scope_count', 'clarifai_key_scope'),
            'endpoints' => $this->strings($key, 'clarifai_key_endpoint_count', 'clarifai_key_endpoint'),
            'apps' => $apps,
        ];
    }

    /**
     * The strings a handle lists through a count accessor and an item accessor.
     *
     * @return list<string>
     */
    private function strings(\FFI\CData $handle, string $count, string $item): array
    {
        $strings = [];
        for ($i = 0, $n = $this->ffi->{$count}($handle); $i < $n; $i++) {
            $strings[] = $this->ffi->{$item}($handle, $i);
        }
        return $strings;
    }

    /**
     * @param array<mixed> $values
     * @return list<string>
     */
    private static function checkedList(array $values, string $what): array
    {
        $checked = [];
        foreach (array_values($values) as $i => $value) {
            if (!\is_string($value)) {
                throw InvalidArgumentException::because(sprintf('%s[%d] must be a string, not %s', $what, $i, get_debug_type($value)));
            }
            $checked[] = Strings::check($value, sprintf('%s[%d]', $what, $i));
        }
        return $checked;
    }

    /** The owned string just written to the out cell, copied and then wiped and freed by the library. */
    private function takeString(): string
    {
        $string = $this->stringOut[0];
        try {
            return \FFI::string($string);
        } finally {
            $this->ffi->clarifai_string_free($string);
        }
    }
}
