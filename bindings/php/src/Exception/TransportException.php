<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** No usable answer: connection refused, DNS, timeout, TLS, a broken connection, a refused redirect, a body too large or not a Clarifai response. getResult() says which. */
class TransportException extends ClarifaiException
{
}
