<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** The call was cancelled before it completed (CLARIFAI_RESULT_CANCELLED). */
class CancelledException extends ClarifaiException
{
}
