<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/**
 * 11007, or a preflight denial: the credential lacks scopes and/or an endpoint grant. Grant
 * what getMissingScopes() and getMissingEndpoints() name to the key (or create a new one).
 */
class MissingScopesException extends ApiException
{
    /** @return list<string> the missing scopes, docs spelling (e.g. "Inputs:Add") */
    public function getMissingScopes(): array
    {
        return $this->info('missingScopes', []);
    }

    /** @return list<string> the endpoint grants the key lacks (e.g. "/clarifai.api.V2/PostInputs") */
    public function getMissingEndpoints(): array
    {
        $endpoint = $this->info('missingEndpoint', null);
        return $endpoint === null ? [] : [$endpoint];
    }
}
