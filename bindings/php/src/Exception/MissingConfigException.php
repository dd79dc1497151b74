<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** The environment lacks a variable fromEnv() needs; the message names it. */
class MissingConfigException extends ClarifaiException
{
}
