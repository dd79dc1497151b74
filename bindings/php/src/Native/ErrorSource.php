<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

use Clarifai\API\Exception\InvalidArgumentException;

/**
 * The native `clarifai_error` behind an exception, kept so getHeader() can still read the
 * failed response's headers. Owned errors are freed when the exception goes; an error
 * borrowed from a batch keeps that batch alive instead.
 *
 * @internal
 */
final class ErrorSource
{
    private function __construct(
        private readonly \FFI $ffi,
        private readonly \FFI\CData $error,
        private readonly ?Owned $owner,
    ) {
    }

    /** Take ownership of an error the library handed over. */
    public static function owned(\FFI $ffi, \FFI\CData $error): self
    {
        return new self($ffi, $error, null);
    }

    /** An error that lives as long as `$owner` (a batch). */
    public static function borrowed(\FFI $ffi, \FFI\CData $error, Owned $owner): self
    {
        return new self($ffi, $error, $owner);
    }

    public function header(string $name): ?string
    {
        if (str_contains($name, "\0")) {
            throw InvalidArgumentException::nulByte('header name');
        }
        return $this->ffi->clarifai_error_header($this->error, $name);
    }

    public function __destruct()
    {
        if ($this->owner === null) {
            $this->ffi->clarifai_error_free($this->error);
        }
    }
}
