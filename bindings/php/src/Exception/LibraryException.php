<?php

declare(strict_types=1);

namespace Clarifai\API\Exception;

/** The native library cannot be used: ext-ffi missing, FFI forbidden by ffi.enable, the library not found, or its version not matching. */
class LibraryException extends ClarifaiException
{
}
