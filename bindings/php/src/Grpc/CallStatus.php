<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

/**
 * The status of a call, as the grpc extension gives it: `code` 0 (OK) when the API answered,
 * whatever the Clarifai status in the response; otherwise the gRPC code of what went wrong on
 * the way (14 UNAVAILABLE when the server cannot be reached, 4 DEADLINE_EXCEEDED, …) with
 * `details` saying what, and no response.
 *
 *     [$response, $status] = $call->wait();
 *     if ($status->code !== 0) throw new Exception("Error: {$status->details}");
 */
final class CallStatus
{
    // The gRPC status codes (the grpc extension's Grpc\STATUS_* constants).
    public const OK = 0;
    public const CANCELLED = 1;
    public const UNKNOWN = 2;
    public const INVALID_ARGUMENT = 3;
    public const DEADLINE_EXCEEDED = 4;
    public const RESOURCE_EXHAUSTED = 8;
    public const FAILED_PRECONDITION = 9;
    public const UNIMPLEMENTED = 12;
    public const INTERNAL = 13;
    public const UNAVAILABLE = 14;

    /**
     * @param array<string, list<string>> $metadata trailing metadata; always empty, since the
     *     library does not list response headers
     */
    public function __construct(
        public readonly int $code,
        public readonly string $details = '',
        public readonly array $metadata = [],
    ) {
    }
}
