<?php

declare(strict_types=1);

namespace Clarifai\API;

/**
 * What ClarifaiClient::can() found, without calling the endpoint: whether the credential may
 * call it and, if not, what it lacks.
 */
final class Preflight
{
    /**
     * @param list<string> $missingScopes docs spelling, e.g. "Inputs:Add"
     */
    public function __construct(
        public readonly string $endpoint,
        public readonly bool $allowed,
        public readonly array $missingScopes = [],
        /** The endpoint grant the key lacks, e.g. "/clarifai.api.V2/PostInputs", or null. */
        public readonly ?string $missingEndpoint = null,
        /** The endpoint refuses this kind of credential: it needs a Personal Access Token. */
        public readonly bool $patRequired = false,
        /** The library's explanation of a denial; "" when allowed. */
        public readonly string $reason = '',
    ) {
    }

    /** @return list<string> */
    public function missingEndpoints(): array
    {
        return $this->missingEndpoint === null ? [] : [$this->missingEndpoint];
    }
}
