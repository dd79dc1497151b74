<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** 11009: the API does not know this key (deleted, rotated, or mistyped). */
class KeyNotFoundException extends ApiException
{
}
