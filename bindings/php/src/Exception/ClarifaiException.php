<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

use Clarifai\API\Native\ErrorSource;

/**
 * A failure reported by the Clarifai library or the API. Every exception this package throws
 * is one, so `catch (ClarifaiException $e)` catches them all. Messages never hold a secret.
 *
 * getCode() is the native `clarifai_result` value (0 for failures raised by PHP itself before
 * reaching the library, such as a missing FFI extension).
 */
class ClarifaiException extends \RuntimeException
{
    /**
     * @param array{
     *     result?: ?string, statusCode?: int, httpStatus?: int, description?: string,
     *     details?: string, reqId?: string, missingScopes?: list<string>,
     *     missingEndpoint?: ?string, retryAfter?: ?int
     * } $info
     */
    public function __construct(
        string $message,
        int $resultCode = 0,
        private readonly array $info = [],
        ?\Throwable $previous = null,
        private readonly ?ErrorSource $source = null,
    ) {
        parent::__construct($message, $resultCode, $previous);
    }

    /** The native result name, e.g. "CLARIFAI_RESULT_KEY_NOT_FOUND"; null when PHP raised it. */
    public function getResult(): ?string
    {
        return $this->info['result'] ?? null;
    }

    /** The Clarifai status code (e.g. 11009), or 0 when the server sent none. */
    public function getStatusCode(): int
    {
        return $this->info['statusCode'] ?? 0;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public function getHttpStatus(): int
    {
        return $this->info['httpStatus'] ?? 0;
    }

    /** The status description (e.g. "API key not found"), or "". */
    public function getDescription(): string
    {
        return $this->info['description'] ?? '';
    }

    /** The status details, or "". */
    public function getDetails(): string
    {
        return $this->info['details'] ?? '';
    }

    /** The request id the server gave, or "". */
    public function getReqId(): string
    {
        return $this->info['reqId'] ?? '';
    }

    /** A response header of the failed request (name case-insensitive), or null. */
    public function getHeader(string $name): ?string
    {
        return $this->source?->header($name);
    }

    protected function info(string $key, mixed $default): mixed
    {
        return $this->info[$key] ?? $default;
    }
}
