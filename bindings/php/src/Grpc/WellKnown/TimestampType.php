<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc\WellKnown;

use Clarifai\API\Exception\InvalidArgumentException;

/**
 * google.protobuf.Timestamp: an RFC 3339 string in JSON ("2024-01-02T03:04:05.678Z"), and the
 * DateTime conversions of google/protobuf's class.
 *
 * @internal mixed into the generated Google\Protobuf\Timestamp
 */
trait TimestampType
{
    public function toDateTime(): \DateTime
    {
        $time = \DateTime::createFromFormat('U.u', sprintf('%d.%06d', $this->getSeconds(), intdiv($this->getNanos(), 1000)), new \DateTimeZone('UTC'));
        \assert($time instanceof \DateTime);
        return $time;
    }

    public function fromDateTime(\DateTimeInterface $datetime): void
    {
        $this->setSeconds($datetime->getTimestamp());
        $this->setNanos(1000 * (int) $datetime->format('u'));
    }

    public function jsonSerialize(): mixed
    {
        return gmdate('Y-m-d\TH:i:s', $this->getSeconds()) . Fraction::format($this->getNanos()) . 'Z';
    }

    protected function mergeJson(#[\SensitiveParameter] mixed $json, bool $ignoreUnknown, string $path): void
    {
        if (!\is_string($json) || preg_match('/^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d{1,9})?([Zz]|([+-])(\d\d):(\d\d))$/', $json, $m) !== 1) {
            throw InvalidArgumentException::because($path . ' must be an RFC 3339 time in the JSON');
        }
        $seconds = gmmktime((int) $m[4], (int) $m[5], (int) $m[6], (int) $m[2], (int) $m[3], (int) $m[1]);
        if (isset($m[9]) && $m[9] !== '') {
            $seconds -= ($m[9] === '-' ? -1 : 1) * (3600 * (int) $m[10] + 60 * (int) $m[11]);
        }
        $this->setSeconds($seconds);
        $this->setNanos(Fraction::parse($m[7]));
    }
}
