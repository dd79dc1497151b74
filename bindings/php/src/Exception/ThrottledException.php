<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** 11005: too many requests. The library already retried when allowed; wait before the next. */
class ThrottledException extends ApiException
{
    /** Seconds the server asked to wait (Retry-After), or null when it did not say. */
    public function getRetryAfter(): ?int
    {
        return $this->info('retryAfter', null);
    }
}
