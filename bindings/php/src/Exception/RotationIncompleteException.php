<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** Key rotation created the new key but could not delete the old one: both work. The message names both by their last four characters. */
class RotationIncompleteException extends ClarifaiException
{
}
