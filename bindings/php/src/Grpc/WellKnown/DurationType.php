<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc\WellKnown;

use Clarifai\API\Exception\InvalidArgumentException;

/**
 * google.protobuf.Duration: seconds with an "s" in JSON ("1.5s", "-0.250s").
 *
 * @internal mixed into the generated Google\Protobuf\Duration
 */
trait DurationType
{
    public function jsonSerialize(): mixed
    {
        $negative = $this->getSeconds() < 0 || $this->getNanos() < 0;
        return ($negative ? '-' : '') . abs($this->getSeconds()) . Fraction::format($this->getNanos()) . 's';
    }

    protected function mergeJson(#[\SensitiveParameter] mixed $json, bool $ignoreUnknown, string $path): void
    {
        if (!\is_string($json) || preg_match('/^(-?)(\d+)(\.\d{1,9})?s$/', $json, $m) !== 1) {
            throw InvalidArgumentException::because($path . ' must be a duration such as "1.5s" in the JSON');
        }
        $sign = $m[1] === '-' ? -1 : 1;
        $this->setSeconds($sign * (int) $m[2]);
        $this->setNanos($sign * Fraction::parse($m[3] ?? ''));
    }
}
