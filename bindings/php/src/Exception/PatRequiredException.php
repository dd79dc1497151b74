<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** 11200: this endpoint needs a Personal Access Token (or refuses this kind of credential). */
class PatRequiredException extends ApiException
{
}
