<?php

declare(strict_types=1);

namespace Clarifai\API;

use Clarifai\API\Native\Owned;
use Clarifai\API\Native\Strings;

/**
 * A successful answer with its status and headers, from callResponse() and requestResponse().
 * call() and request() return just the decoded body, which is what most code wants.
 */
final class Response
{
    private ?array $decoded = null;

    /** @internal */
    public function __construct(private readonly \FFI $ffi, private readonly Owned $native)
    {
    }

    /** 10000 SUCCESS, 10010 MIXED_STATUS (some items failed; see the body) or 10070 ACCEPTED. */
    public function getStatusCode(): int
    {
        return $this->ffi->clarifai_response_status_code($this->native->ptr);
    }

    /** 200, or 202 for ACCEPTED. */
    public function getHttpStatus(): int
    {
        return $this->ffi->clarifai_response_http_status($this->native->ptr);
    }

    public function getDescription(): string
    {
        return $this->ffi->clarifai_response_description($this->native->ptr);
    }

    public function getReqId(): string
    {
        return $this->ffi->clarifai_response_req_id($this->native->ptr);
    }

    /** A response header (name case-insensitive), or null. */
    public function getHeader(string $name): ?string
    {
        return $this->ffi->clarifai_response_header($this->native->ptr, Strings::check($name, 'header name'));
    }

    /** The whole body as JSON text, `status` included. */
    public function getJson(): string
    {
        return $this->ffi->clarifai_response_json($this->native->ptr);
    }

    /** @return array<mixed> the decoded body, `status` included */
    public function toArray(): array
    {
        return $this->decoded ??= Strings::decode($this->getJson());
    }
}
