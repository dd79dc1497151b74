<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/**
 * The client cannot be set up as asked: the environment lacks a variable fromEnv() needs (the
 * message names it; thrown as the subclass MissingConfigException), or plain http:// to a host
 * that is not loopback without the opt-in (dangerAllowInsecureHttp). Nothing was sent.
 */
class ConfigurationException extends ClarifaiException
{
}
