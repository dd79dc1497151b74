<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

/**
 * A native handle freed with its `_free` function when the last PHP reference goes.
 *
 * @internal
 */
final class Owned
{
    /** @param non-empty-string $free the library's free function for this handle type */
    public function __construct(
        private readonly \FFI $ffi,
        public readonly \FFI\CData $ptr,
        private readonly string $free,
    ) {
    }

    public function __destruct()
    {
        $this->ffi->{$this->free}($this->ptr);
    }
}
