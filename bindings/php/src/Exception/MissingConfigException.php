<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/**
 * The environment lacks a variable fromEnv() needs; the message names it. A
 * ConfigurationException: catch that for every configuration failure (this class stays for
 * code written before that kind existed).
 */
class MissingConfigException extends ConfigurationException
{
}
