<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** 11103: the path exists, but not with that HTTP method. */
class MethodNotAllowedException extends ApiException
{
}
