<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc\WellKnown;

use Clarifai\API\Exception\InvalidArgumentException;
use Clarifai\API\Grpc\FieldType;
use Google\Protobuf\Value;

/**
 * google.protobuf.ListValue: a JSON array.
 *
 * @internal mixed into the generated Google\Protobuf\ListValue
 */
trait ListValueType
{
    public function jsonSerialize(): mixed
    {
        $out = [];
        foreach ($this->getValues() as $value) {
            $out[] = self::toJson(FieldType::MESSAGE, Value::class, $value);
        }
        return $out;
    }

    protected function mergeJson(#[\SensitiveParameter] mixed $json, bool $ignoreUnknown, string $path): void
    {
        if (!\is_array($json)) {
            throw InvalidArgumentException::because($path . ' must be an array in the JSON');
        }
        $values = $this->getValues();
        foreach ($json as $i => $value) {
            $values[] = self::fromJson(FieldType::MESSAGE, Value::class, $value, $ignoreUnknown, "$path[$i]");
        }
        $this->setValues($values);
    }
}
