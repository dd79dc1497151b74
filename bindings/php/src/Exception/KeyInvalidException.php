<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** 11008: the key does not belong to that app, or a PAT was used without a user and app. */
class KeyInvalidException extends ApiException
{
}
