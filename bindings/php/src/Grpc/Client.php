<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

use Clarifai\API\ClientOptions;
use Clarifai\API\Exception\InvalidArgumentException;
use Clarifai\API\Exception\UnknownEndpointException;
use Clarifai\API\Native\Library;

/**
 * The base of the generated V2Client: the docs' gRPC form over the native library instead of
 * the grpc extension. The client has no credential of its own; each call takes one from its
 * metadata (['Authorization' => ['Key …']]), and a call without one gets the API's "Invalid
 * request" answer.
 */
abstract class Client
{
    /** The service's proto name. */
    protected const SERVICE = '';

    /** @var array<string, true> the service's streaming RPCs, which this package does not call */
    protected const STREAMING_RPCS = [];

    private readonly Channel $channel;

    /**
     * @param string|array<string, mixed>|ClientOptions|null $base the API's host (as the grpc
     *     package takes it: "api.clarifai.com", reached over https) or base URL; null for
     *     CLARIFAI_GRPC_BASE, else the library's default (CLARIFAI_API_BASE, else
     *     https://api.clarifai.com). Or the options, in place of the host.
     * @param array<string, mixed>|ClientOptions $options see ClientOptions; its baseUrl wins over `$base`
     */
    public function __construct(#[\SensitiveParameter] string|array|ClientOptions|null $base = null, #[\SensitiveParameter] array|ClientOptions $options = [])
    {
        if ($base !== null && !\is_string($base)) {
            if ($options !== []) {
                throw InvalidArgumentException::because('pass the options once: grpc($options) or grpc($host, $options)');
            }
            [$base, $options] = [null, $base];
        }
        $options = ClientOptions::from($options);
        if ($base === null) {
            $env = getenv('CLARIFAI_GRPC_BASE');
            $base = \is_string($env) && $env !== '' ? $env : null;
        }
        if ($base !== null && $options->baseUrl === null) {
            $options = new ClientOptions(...['baseUrl' => str_contains($base, '://') ? $base : 'https://' . $base] + get_object_vars($options));
        }
        $this->channel = new Channel($options);
    }

    /**
     * A name that is no unary RPC of the service.
     *
     * @param list<mixed> $arguments
     */
    public function __call(string $name, #[\SensitiveParameter] array $arguments): never
    {
        if (isset(static::STREAMING_RPCS[$name])) {
            throw InvalidArgumentException::because(sprintf('%s is a streaming RPC of %s; this package calls only unary RPCs', $name, static::SERVICE));
        }
        throw new UnknownEndpointException(
            sprintf('unknown endpoint: %s has no RPC named %s', static::SERVICE, $name),
            Library::resultValue('CLARIFAI_RESULT_UNKNOWN_ENDPOINT'),
            ['result' => 'CLARIFAI_RESULT_UNKNOWN_ENDPOINT'],
        );
    }

    /**
     * Start a call: it runs at once, while PHP goes on; its wait() collects it.
     *
     * @param Message|array<string, mixed> $argument the request, or an array of its fields
     * @param array<string, list<string>|string> $metadata
     * @param array<string, mixed> $options per-call options: `timeout`, the call's deadline in
     *     microseconds as the grpc package takes it
     * @param class-string<Message> $requestClass
     * @param class-string<Message> $responseClass
     */
    protected function unary(
        string $rpc,
        #[\SensitiveParameter] Message|array $argument,
        #[\SensitiveParameter] array $metadata,
        array $options,
        string $requestClass,
        string $responseClass,
    ): UnaryCall {
        $timeoutMs = null;
        foreach ($options as $name => $value) {
            if ($name !== 'timeout') {
                throw InvalidArgumentException::because(sprintf('the call option %s is not supported: only timeout (microseconds) is', $name));
            }
            if (!\is_int($value) && !\is_float($value)) {
                throw InvalidArgumentException::because(sprintf('the call option timeout must be a number of microseconds, not %s', get_debug_type($value)));
            }
            $timeoutMs = (int) ceil($value / 1000);
        }
        $request = \is_array($argument) ? new $requestClass($argument) : $argument;
        return $this->channel->start($rpc, $request->serializeToJsonString(), Authorization::fromMetadata($metadata), $timeoutMs, $responseClass);
    }
}
