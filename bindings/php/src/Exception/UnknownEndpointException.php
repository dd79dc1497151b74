<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** No RPC of that name in the endpoint catalogue (names are the gRPC method names, e.g. "PostModelOutputs"). */
class UnknownEndpointException extends InvalidArgumentException
{
}
