<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** 11101: unknown resource, app or route. */
class NotFoundException extends ApiException
{
}
