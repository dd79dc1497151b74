<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc\WellKnown;

/**
 * The wrappers (google.protobuf.BoolValue, UInt64Value, …): their bare value in JSON.
 *
 * @internal mixed into the generated Google\Protobuf\*Value wrappers
 */
trait WrapperType
{
    public function jsonSerialize(): mixed
    {
        return self::toJson(static::FIELDS['value'][0], null, $this->getValue());
    }

    protected function mergeJson(#[\SensitiveParameter] mixed $json, bool $ignoreUnknown, string $path): void
    {
        $this->setValue(self::fromJson(static::FIELDS['value'][0], null, $json, $ignoreUnknown, $path));
    }
}
