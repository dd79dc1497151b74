<?php

declare(strict_types=1);

namespace Clarifai\API;

use Clarifai\API\Exception\InvalidArgumentException;
use Clarifai\API\Native\Errors;
use Clarifai\API\Native\Owned;
use Clarifai\API\Native\Strings;

/**
 * Client settings. Every one is optional; unset ones keep the library's defaults: base URL from
 * CLARIFAI_API_BASE or https://api.clarifai.com, 10 s connect and 60 s total timeouts, the
 * platform's CA roots, 128 concurrent calls, 2 retries.
 *
 *     new ClientOptions(baseUrl: 'http://127.0.0.1:8080', maxRetries: 0)
 *     ClientOptions::fromArray(['baseUrl' => '…', 'timeoutMs' => 5000])
 */
final class ClientOptions
{
    public function __construct(
        public readonly ?string $baseUrl = null,
        public readonly ?int $timeoutMs = null,
        public readonly ?int $connectTimeoutMs = null,
        public readonly ?string $caFile = null,
        public readonly ?int $maxRetries = null,
        public readonly ?int $maxConcurrency = null,
        public readonly ?string $userAgent = null,
        public readonly ?int $maxResponseBytes = null,
        /** Plain http:// to hosts that are not loopback: credentials cross the network in clear. Test rigs only. */
        public readonly bool $dangerAllowInsecureHttp = false,
    ) {
    }

    /**
     * From an array keyed by the constructor's parameter names; an unknown key is refused
     * (a typo would otherwise silently keep a default).
     *
     * @param array<string, mixed> $options
     */
    public static function fromArray(array $options): self
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
    public static function from(array|self $options): self
    {
        return $options instanceof self ? $options : self::fromArray($options);
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
        $error = $ffi->new('clarifai_error*[1]');
        $set = static function (string $setter, mixed $value) use ($ffi, $opts, $error): void {
            $result = $ffi->{$setter}($opts->ptr, $value, $error);
            if ($result !== 0) {
                Errors::throwFrom($ffi, $result, $error);
            }
        };
        if ($this->baseUrl !== null) {
            $set('clarifai_client_options_set_base_url', Strings::check($this->baseUrl, 'baseUrl'));
        }
        if ($this->caFile !== null) {
            $set('clarifai_client_options_set_ca_file', Strings::check($this->caFile, 'caFile'));
        }
        if ($this->userAgent !== null) {
            $set('clarifai_client_options_set_user_agent', Strings::check($this->userAgent, 'userAgent'));
        }
        // Negative numbers would wrap around in the unsigned C parameters: refuse them here.
        foreach ([
            'timeoutMs' => 'clarifai_client_options_set_timeout_ms',
            'connectTimeoutMs' => 'clarifai_client_options_set_connect_timeout_ms',
            'maxRetries' => 'clarifai_client_options_set_max_retries',
            'maxConcurrency' => 'clarifai_client_options_set_max_concurrency',
            'maxResponseBytes' => 'clarifai_client_options_set_max_response_bytes',
        ] as $name => $setter) {
            $value = $this->{$name};
            if ($value === null) {
                continue;
            }
            if ($value < 0 || ($name === 'maxRetries' && $value > 0xFFFFFFFF)) {
                throw InvalidArgumentException::because(sprintf('%s is out of range', $name));
            }
            $set($setter, $value);
        }
        if ($this->dangerAllowInsecureHttp) {
            $set('clarifai_client_options_set_danger_allow_insecure_http', true);
        }
        return $opts;
    }
}
