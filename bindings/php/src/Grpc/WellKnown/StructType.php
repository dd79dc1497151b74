<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc\WellKnown;

use Clarifai\API\Exception\InvalidArgumentException;
use Clarifai\API\Grpc\FieldType;
use Google\Protobuf\Value;

/**
 * google.protobuf.Struct: a JSON object (such as an input's metadata).
 *
 * @internal mixed into the generated Google\Protobuf\Struct
 */
trait StructType
{
    public function jsonSerialize(): mixed
    {
        $out = [];
        foreach ($this->getFields() as $key => $value) {
            $out[(string) $key] = self::toJson(FieldType::MESSAGE, Value::class, $value);
        }
        return (object) $out;
    }

    protected function mergeJson(#[\SensitiveParameter] mixed $json, bool $ignoreUnknown, string $path): void
    {
        if (!$json instanceof \stdClass) {
            throw InvalidArgumentException::because($path . ' must be an object in the JSON');
        }
        $fields = $this->getFields();
        foreach (get_object_vars($json) as $key => $value) {
            $fields[(string) $key] = self::fromJson(FieldType::MESSAGE, Value::class, $value, $ignoreUnknown, $path . '.' . $key);
        }
        $this->setFields($fields);
    }
}
