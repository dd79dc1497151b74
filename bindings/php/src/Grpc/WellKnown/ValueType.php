<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc\WellKnown;

use Clarifai\API\Exception\InvalidArgumentException;
use Clarifai\API\Grpc\FieldType;
use Google\Protobuf\ListValue;
use Google\Protobuf\Struct;

/**
 * google.protobuf.Value: any JSON value.
 *
 * @internal mixed into the generated Google\Protobuf\Value
 */
trait ValueType
{
    public function jsonSerialize(): mixed
    {
        return match ($this->whichOneof('kind')) {
            'number_value' => self::toJson(FieldType::DOUBLE, null, $this->getNumberValue()),
            'string_value' => $this->getStringValue(),
            'bool_value' => $this->getBoolValue(),
            'struct_value' => self::toJson(FieldType::MESSAGE, Struct::class, $this->getStructValue()),
            'list_value' => self::toJson(FieldType::MESSAGE, ListValue::class, $this->getListValue()),
            default => null,
        };
    }

    protected function mergeJson(#[\SensitiveParameter] mixed $json, bool $ignoreUnknown, string $path): void
    {
        match (true) {
            $json === null => $this->setNullValue(0),
            \is_bool($json) => $this->setBoolValue($json),
            \is_int($json), \is_float($json) => $this->setNumberValue((float) $json),
            \is_string($json) => $this->setStringValue($json),
            $json instanceof \stdClass => $this->setStructValue(self::fromJson(FieldType::MESSAGE, Struct::class, $json, $ignoreUnknown, $path)),
            \is_array($json) => $this->setListValue(self::fromJson(FieldType::MESSAGE, ListValue::class, $json, $ignoreUnknown, $path)),
            default => throw InvalidArgumentException::because($path . ' is not a JSON value'),
        };
    }
}
