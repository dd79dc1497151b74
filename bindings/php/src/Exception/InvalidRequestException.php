<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** 11102: no or a malformed Authorization header, or a malformed request. */
class InvalidRequestException extends ApiException
{
}
