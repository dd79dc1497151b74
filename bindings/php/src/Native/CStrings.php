<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

/**
 * A C array of strings (`const char *const *`) for one native call: every string copied into
 * one NUL-separated buffer that the pointers point into. (FFI cannot store a PHP string into a
 * `const char *` slot.) The buffer may hold secrets (call parameters), so it is wiped when this
 * object goes. Keep it alive until the call returns.
 *
 * @internal
 */
final class CStrings
{
    /** The `const char *[count]` array; null when there are no strings. */
    public readonly ?\FFI\CData $pointers;

    public readonly int $count;

    private ?\FFI\CData $buffer = null;
    private int $size = 0;

    /** @param list<?string> $strings already checked by Strings (no NUL byte); null entries stay NULL */
    public function __construct(\FFI $ffi, #[\SensitiveParameter] array $strings)
    {
        $this->count = \count($strings);
        if ($this->count === 0) {
            $this->pointers = null;
            return;
        }
        $blob = '';
        $offsets = [];
        foreach ($strings as $string) {
            $offsets[] = $string === null ? null : \strlen($blob);
            $blob .= $string === null ? '' : $string . "\0";
        }
        $this->size = max(1, \strlen($blob));
        $this->buffer = $ffi->new('char[' . $this->size . ']');
        \FFI::memcpy($this->buffer, $blob, \strlen($blob));
        $pointers = $ffi->new('const char *[' . $this->count . ']');
        foreach ($offsets as $i => $at) {
            if ($at !== null) {
                $pointers[$i] = \FFI::addr($this->buffer[$at]);
            }
        }
        $this->pointers = $pointers;
    }

    public function __destruct()
    {
        if ($this->buffer !== null) {
            \FFI::memset($this->buffer, 0, $this->size);
        }
    }
}
