<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** The operation cannot run now, for example while the client shuts down. */
class StateException extends ClarifaiException
{
}
