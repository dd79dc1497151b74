<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/**
 * The API answered with a failure status: the base of the API kinds (MissingScopes, KeyNotFound,
 * KeyInvalid, InvalidRequest, PatRequired, Throttled, NotFound, MethodNotAllowed), and itself
 * the class of a status no finer kind covers. getStatusCode(), getDescription(), getDetails()
 * and getReqId() say what the API said.
 */
class ApiException extends ClarifaiException
{
}
