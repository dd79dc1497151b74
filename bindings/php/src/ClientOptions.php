<?php

declare(strict_types=1);

namespace Clarifai\API;

use Clarifai\API\Exception\InvalidArgumentException;
use Clarifai\API\Native\Errors;
use Clarifai\API\Native\Owned;
use Clarifai\API\Native\Out;
use Clarifai\API\Native\Strings;
use Clarifai\API\Native\Unsigned;

/**
 * Client settings. Every one is optional; an unset one keeps the library's default (the
 * `CLARIFAI_DEFAULT_*` values of include/clarifai.h; the base URL from CLARIFAI_API_BASE when
 * set). Values are not checked here: the library checks them all when the client is made, so
 * a bad one fails there, with the same error as in every other language.
 *
 *     new ClientOptions(baseUrl: 'http://127.0.0.1:8080', maxRetries: 0)
 *     ClientOptions::fromArray(['baseUrl' => '…', 'timeoutMs' => 5000])
 */
final class ClientOptions
{
    public function __construct(
        /** The API's base URL, e.g. "https://api.clarifai.com". */
        public readonly ?string $baseUrl = null,
        /** Total time of a call in milliseconds: redirects, retries, backoff and the body. */
        public readonly ?int $timeoutMs = null,
        public readonly ?int $connectTimeoutMs = null,
        /** A PEM file of CA certificates to trust instead of the platform's. */
        public readonly ?string $caFile = null,
        /** Retries after a first attempt (0 disables); only safe retries happen. */
        public readonly ?int $maxRetries = null,
        /** Most calls of callMany() and the gRPC form in flight at once. */
        public readonly ?int $maxConcurrency = null,
        public readonly ?string $userAgent = null,
        public readonly ?int $maxResponseBytes = null,
        /** Plain http:// to hosts that are not loopback: credentials cross the network in clear. Test rigs only. */
        public readonly bool $dangerAllowInsecureHttp = false,
        /**
         * Send every request through this proxy, `http://[user:password@]host:port` (https is
         * tunnelled with CONNECT, so TLS stays end to end). Wins over the environment.
         */
        #[\SensitiveParameter] public readonly ?string $proxy = null,
        /**
         * Whether to use the proxies the environment names, as curl reads them (https_proxy,
         * http_proxy, all_proxy, no_proxy; loopback hosts always go direct). Unset: yes.
         */
        public readonly ?bool $proxyFromEnv = null,
        /**
         * Speak HTTP/2 from the first byte over plain http:// (h2c). Over https HTTP/2 is
         * negotiated without it; with it only h2 is offered. Unset: no.
         */
        public readonly ?bool $http2PriorKnowledge = null,
    ) {
    }

    /**
     * From an array keyed by the constructor's parameter names; an unknown key is refused
     * (a typo would otherwise silently keep a default).
     *
     * @param array<string, mixed> $options
     */
    public static function fromArray(#[\SensitiveParameter] array $options): self
    {
        $known = array_map(
            static fn (\ReflectionParameter $p): string => $p->getName(),
            (new \ReflectionMethod(self::class, '__construct'))->getParameters(),
        );
        $unknown = array_diff(array_keys($options), $known);
        if ($unknown !== []) {
            throw InvalidArgumentException::because(sprintf(
                'unknown client option %s (known: %s)',
                implode(', ', $unknown),
                implode(', ', $known),
            ));
        }
        try {
            return new self(...$options);
        } catch (\TypeError $e) {
            throw InvalidArgumentException::because('client option of the wrong type: ' . $e->getMessage());
        }
    }

    /** @param array<string, mixed>|self $options */
    public static function from(#[\SensitiveParameter] array|self $options): self
    {
        return $options instanceof self ? $options : self::fromArray($options);
    }

    /**
     * What var_dump() and print_r() show: the settings, with a proxy's user and password hidden.
     *
     * @return array<string, mixed>
     */
    public function __debugInfo(): array
    {
        $vars = get_object_vars($this);
        if ($this->proxy !== null) {
            $vars['proxy'] = preg_replace('#^([^:/]*://)[^@/]*@#', '$1(secret)@', $this->proxy);
        }
        return $vars;
    }

    /**
     * Native options for one client creation, or null when every setting is unset.
     *
     * @internal
     */
    public function toNative(\FFI $ffi): ?Owned
    {
        // Strict: with ==, a 0 (refused by the library) would compare equal to an unset null.
        if (get_object_vars($this) === get_object_vars(new self())) {
            return null;
        }
        $opts = new Owned($ffi, $ffi->clarifai_client_options_new(), 'clarifai_client_options_free');
        $error = Out::cell($ffi, 'clarifai_error');
        $set = static function (string $setter, #[\SensitiveParameter] mixed $value) use ($ffi, $opts, $error): void {
            $result = $ffi->{$setter}($opts->ptr, $value, $error);
            if ($result !== $ffi->CLARIFAI_RESULT_OK) {
                Errors::throwFrom($ffi, $result, $error);
            }
        };
        foreach (['baseUrl' => 'base_url', 'caFile' => 'ca_file', 'userAgent' => 'user_agent', 'proxy' => 'proxy'] as $name => $setter) {
            if ($this->{$name} !== null) {
                $set('clarifai_client_options_set_' . $setter, Strings::check($this->{$name}, $name));
            }
        }
        foreach ([
            'timeoutMs' => ['timeout_ms', 'uint64_t'],
            'connectTimeoutMs' => ['connect_timeout_ms', 'uint64_t'],
            'maxRetries' => ['max_retries', 'uint32_t'],
            'maxConcurrency' => ['max_concurrency', 'size_t'],
            'maxResponseBytes' => ['max_response_bytes', 'uint64_t'],
        ] as $name => [$setter, $type]) {
            if ($this->{$name} !== null) {
                $set('clarifai_client_options_set_' . $setter, Unsigned::check($this->{$name}, $name, $type));
            }
        }
        foreach (['proxyFromEnv' => 'proxy_from_env', 'http2PriorKnowledge' => 'http2_prior_knowledge'] as $name => $setter) {
            if ($this->{$name} !== null) {
                $set('clarifai_client_options_set_' . $setter, $this->{$name});
            }
        }
        if ($this->dangerAllowInsecureHttp) {
            $set('clarifai_client_options_set_danger_allow_insecure_http', true);
        }
        return $opts;
    }
}
