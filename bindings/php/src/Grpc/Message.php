<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

use Clarifai\API\Exception\InvalidArgumentException;
use Clarifai\API\Grpc\FieldType as T;

/**
 * A message of the Clarifai API: the base of the generated Clarifai\Api\ classes and of the
 * well-known Google\Protobuf\ types they use, shaped as google/protobuf's PHP messages are.
 *
 *     $input = new Input(['data' => new Data(['image' => new Image(['url' => $url])])]);
 *     $input->getData()->getImage()->getUrl();
 *     $input->serializeToJsonString();   // {"data":{"image":{"url":"…"}}}
 *
 * Fields have getFoo()/setFoo() (hasFoo()/clearFoo() for messages and oneof members); repeated
 * fields and maps are PHP arrays. Nested messages may be given as objects or as arrays of their
 * fields.
 *
 * The JSON is the API's own, as clarifai-grpc's JSON channel writes it: proto field names,
 * enums by name, 64-bit integers as strings, bytes in base64, and Clarifai's field options
 * (a Concept's value is written even when 0, and read as 1.0 when absent). Reading also takes
 * the lowerCamelCase names and enum numbers. There is no binary encoding: this package talks to
 * the API's JSON endpoints.
 *
 * Any message may hold a secret (a key id is the key; PostKeys answers with new keys), so every
 * parameter that takes message contents is a #[\SensitiveParameter]: exception traces never
 * keep them.
 */
abstract class Message implements \JsonSerializable
{
    /** The proto name, e.g. "clarifai.api.Data". */
    public const PROTO_NAME = '';

    /**
     * The fields by proto name: [type, flags, message or enum class, oneof, map key type].
     *
     * @var array<string, array{0: int, 1?: int, 2?: ?class-string, 3?: ?string, 4?: int}>
     */
    protected const FIELDS = [];

    /** @var array<string, list<string>> the fields of each oneof */
    protected const ONEOFS = [];

    /** @var array<string, float> Clarifai's cl_default_float: what a field absent from the JSON reads as */
    protected const DEFAULT_FLOATS = [];

    /** @var array<string, mixed> the fields that are set, by proto name */
    protected array $values = [];

    /** @var array<class-string, array<string, string>> lowerCamelCase JSON name => proto name */
    private static array $jsonNames = [];

    /**
     * @param array<string, mixed>|null $data field values by proto name (e.g. 'model_id'); nested
     *     messages as objects or arrays, repeated fields as lists, maps as arrays
     */
    public function __construct(#[\SensitiveParameter] ?array $data = null)
    {
        foreach ($data ?? [] as $name => $value) {
            $name = (string) $name;
            if (!isset(static::FIELDS[$name])) {
                throw InvalidArgumentException::because(sprintf('%s has no field %s', static::PROTO_NAME, $name));
            }
            $this->set($name, $value);
        }
    }

    /** The name of the field of `$oneof` that is set, or "". */
    public function whichOneof(string $oneof): string
    {
        foreach (static::ONEOFS[$oneof] ?? [] as $name) {
            if (\array_key_exists($name, $this->values)) {
                return $name;
            }
        }
        return '';
    }

    /** The API's JSON for this message. */
    public function serializeToJsonString(): string
    {
        return json_encode($this, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
    }

    /**
     * Merge the fields of `$data`, the API's JSON for this message, into it.
     *
     * @param bool $ignore_unknown skip fields (and enum names) this version does not know
     *     instead of refusing them, as reading a newer API's answers needs
     */
    public function mergeFromJsonString(#[\SensitiveParameter] string $data, bool $ignore_unknown = false): void
    {
        try {
            $json = json_decode($data, false, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
        } catch (\JsonException $e) {
            throw InvalidArgumentException::because(sprintf('%s: the text is not JSON (%s)', static::PROTO_NAME, $e->getMessage()));
        }
        $this->mergeJson($json, $ignore_unknown, static::PROTO_NAME);
    }

    /** The API's JSON value for this message (what serializeToJsonString() encodes). */
    public function jsonSerialize(): mixed
    {
        $out = [];
        foreach (static::FIELDS as $name => $spec) {
            $flags = $spec[1] ?? 0;
            if (!\array_key_exists($name, $this->values)
                || (!isset($spec[3]) && ($flags & (T::REPEATED | T::MAP)) === 0 && $spec[0] !== T::MESSAGE && self::isDefault($this->values[$name]))) {
                // clarifai-grpc writes a field with both cl_show_if_empty and cl_default_float
                // (a Concept's value) even at its default, so the API never applies its own.
                if (isset(static::DEFAULT_FLOATS[$name]) && ($flags & T::SHOW_IF_EMPTY) !== 0) {
                    $out[$name] = 0.0;
                }
                continue;
            }
            $value = $this->values[$name];
            if ($flags & T::MAP) {
                if ($value !== []) {
                    $map = [];
                    foreach ($value as $key => $item) {
                        $map[self::mapKeyToJson($spec[4], $key)] = self::toJson($spec[0], $spec[2] ?? null, $item);
                    }
                    $out[$name] = (object) $map;
                }
            } elseif ($flags & T::REPEATED) {
                if ($value !== []) {
                    $list = [];
                    foreach ($value as $item) {
                        $list[] = self::toJson($spec[0], $spec[2] ?? null, $item);
                    }
                    $out[$name] = $list;
                }
            } else {
                $out[$name] = self::toJson($spec[0], $spec[2] ?? null, $value);
            }
        }
        return $out === [] ? new \stdClass() : $out;
    }

    /**
     * Set a field by proto name; null clears it. Setting a member of a oneof clears the others.
     */
    protected function set(string $name, #[\SensitiveParameter] mixed $value): static
    {
        $spec = static::FIELDS[$name];
        if ($value === null) {
            unset($this->values[$name]);
            return $this;
        }
        $what = static::PROTO_NAME . '.' . $name;
        $flags = $spec[1] ?? 0;
        if ($flags & (T::REPEATED | T::MAP)) {
            if ($value instanceof \Traversable) {
                $value = iterator_to_array($value, ($flags & T::MAP) !== 0);
            }
            if (!\is_array($value)) {
                throw self::wrongType($what, $flags & T::MAP ? 'an array (a map)' : 'a list', $value);
            }
            $items = [];
            foreach ($value as $key => $item) {
                $checked = self::checked($spec[0], $spec[2] ?? null, $item, $what);
                if ($flags & T::MAP) {
                    $items[self::mapKey($spec[4], $key, $what)] = $checked;
                } else {
                    $items[] = $checked;
                }
            }
            $value = $items;
        } else {
            $value = self::checked($spec[0], $spec[2] ?? null, $value, $what);
        }
        if (isset($spec[3])) {
            foreach (static::ONEOFS[$spec[3]] as $member) {
                unset($this->values[$member]);
            }
        }
        $this->values[$name] = $value;
        return $this;
    }

    /**
     * Merge decoded JSON (objects as stdClass) into this message. The well-known types override
     * it with their own JSON forms.
     *
     * @internal
     */
    protected function mergeJson(#[\SensitiveParameter] mixed $json, bool $ignoreUnknown, string $path): void
    {
        if (!$json instanceof \stdClass) {
            throw self::badJson($path, 'an object');
        }
        foreach (get_object_vars($json) as $key => $value) {
            $key = (string) $key;
            $name = isset(static::FIELDS[$key]) ? $key : (self::jsonNames()[$key] ?? null);
            if ($name === null) {
                if ($ignoreUnknown) {
                    continue;
                }
                throw InvalidArgumentException::because(sprintf('%s has no field %s', $path, $key));
            }
            $spec = static::FIELDS[$name];
            $where = $path . '.' . $name;
            $flags = $spec[1] ?? 0;
            // proto3 JSON: null stands for the default, except as a google.protobuf.Value.
            if ($value === null && !(($spec[2] ?? null) === \Google\Protobuf\Value::class && ($flags & T::MAP) === 0)) {
                unset($this->values[$name]);
                continue;
            }
            if ($flags & T::MAP) {
                if (!$value instanceof \stdClass) {
                    throw self::badJson($where, 'an object (a map)');
                }
                $parsed = $this->values[$name] ?? [];
                foreach (get_object_vars($value) as $key => $item) {
                    $item = self::fromJson($spec[0], $spec[2] ?? null, $item, $ignoreUnknown, $where);
                    if ($item !== self::class) {
                        $parsed[self::mapKeyFromJson($spec[4], (string) $key, $where)] = $item;
                    }
                }
            } elseif ($flags & T::REPEATED) {
                if (!\is_array($value)) {
                    throw self::badJson($where, 'a list');
                }
                $parsed = $this->values[$name] ?? [];
                foreach ($value as $item) {
                    $item = self::fromJson($spec[0], $spec[2] ?? null, $item, $ignoreUnknown, $where);
                    if ($item !== self::class) {
                        $parsed[] = $item;
                    }
                }
            } else {
                $existing = $this->values[$name] ?? null;
                if ($spec[0] === T::MESSAGE && $existing instanceof self) {
                    // Merging, as protobuf does: the nested message's fields add up.
                    $existing->mergeJson($value, $ignoreUnknown, $where);
                    $parsed = $existing;
                } else {
                    $parsed = self::fromJson($spec[0], $spec[2] ?? null, $value, $ignoreUnknown, $where);
                    if ($parsed === self::class) {
                        continue;
                    }
                }
                if (isset($spec[3])) {
                    foreach (static::ONEOFS[$spec[3]] as $member) {
                        unset($this->values[$member]);
                    }
                }
            }
            $this->values[$name] = $parsed;
        }
        foreach (static::DEFAULT_FLOATS as $name => $default) {
            if (!property_exists($json, $name)) {
                $this->values[$name] = $default;
            }
        }
    }

    /** The JSON value of one field value (not a list or map). */
    protected static function toJson(int $type, ?string $class, #[\SensitiveParameter] mixed $value): mixed
    {
        switch ($type) {
            case T::MESSAGE:
                // A message of another implementation (google/protobuf's well-known types, when
                // that package provides them) speaks the same JSON.
                return $value instanceof self ? $value->jsonSerialize() : json_decode($value->serializeToJsonString(), false, 512, JSON_THROW_ON_ERROR);
            case T::ENUM:
                return $class::nameOrNumber($value);
            case T::BYTES:
                return base64_encode($value);
            case T::FLOAT:
            case T::DOUBLE:
                if (is_nan($value)) {
                    return 'NaN';
                }
                return is_infinite($value) ? ($value > 0 ? 'Infinity' : '-Infinity') : $value;
            case T::UINT64:
            case T::FIXED64:
                return sprintf('%u', $value);
            case T::INT64:
            case T::SFIXED64:
            case T::SINT64:
                return (string) $value;
            default:
                return $value;
        }
    }

    /**
     * One field value from decoded JSON; self::class for a value to skip (an enum name this
     * version does not know, when unknown values are ignored).
     */
    protected static function fromJson(int $type, ?string $class, #[\SensitiveParameter] mixed $value, bool $ignoreUnknown, string $where): mixed
    {
        switch ($type) {
            case T::MESSAGE:
                $message = new $class();
                if ($message instanceof self) {
                    $message->mergeJson($value, $ignoreUnknown, $where);
                } else {
                    $message->mergeFromJsonString(json_encode($value, JSON_THROW_ON_ERROR | JSON_PRESERVE_ZERO_FRACTION), $ignoreUnknown);
                }
                return $message;
            case T::ENUM:
                if (\is_int($value)) {
                    return $value;
                }
                if (\is_string($value)) {
                    $number = $class::parse($value);
                    if ($number !== null) {
                        return $number;
                    }
                    if ($ignoreUnknown) {
                        return self::class;
                    }
                    throw InvalidArgumentException::because(sprintf('%s: %s has no value of that name', $where, $class));
                }
                throw self::badJson($where, 'an enum name or number');
            case T::STRING:
                if (!\is_string($value)) {
                    throw self::badJson($where, 'a string');
                }
                return $value;
            case T::BYTES:
                $bytes = \is_string($value) ? base64_decode(strtr($value, '-_', '+/'), true) : false;
                if ($bytes === false) {
                    throw self::badJson($where, 'base64 text');
                }
                return $bytes;
            case T::BOOL:
                if (!\is_bool($value)) {
                    throw self::badJson($where, 'true or false');
                }
                return $value;
            case T::FLOAT:
            case T::DOUBLE:
                if (\is_int($value) || \is_float($value)) {
                    return (float) $value;
                }
                if (\is_string($value)) {
                    $special = ['NaN' => NAN, 'Infinity' => INF, '-Infinity' => -INF][$value] ?? null;
                    if ($special !== null) {
                        return $special;
                    }
                    if (is_numeric($value)) {
                        return (float) $value;
                    }
                }
                throw self::badJson($where, 'a number');
            default:
                $number = self::toInteger($type, $value);
                if ($number === null) {
                    throw self::badJson($where, 'an integer');
                }
                return $number;
        }
    }

    /** Whether the field's value is protobuf's default for its type. */
    private static function isDefault(mixed $value): bool
    {
        return $value === '' || $value === 0 || $value === 0.0 || $value === false;
    }

    /** A value checked (and converted where PHP would) for a field of `$type`. */
    private static function checked(int $type, ?string $class, #[\SensitiveParameter] mixed $value, string $what): mixed
    {
        switch ($type) {
            case T::STRING:
                if (\is_int($value) || \is_float($value)) {
                    $value = (string) $value;
                }
                if (!\is_string($value)) {
                    throw self::wrongType($what, 'a string', $value);
                }
                if (preg_match('//u', $value) !== 1) {
                    throw InvalidArgumentException::notUtf8($what);
                }
                return $value;
            case T::BYTES:
                if (!\is_string($value)) {
                    throw self::wrongType($what, 'a string of bytes', $value);
                }
                return $value;
            case T::BOOL:
                if (!\is_scalar($value)) {
                    throw self::wrongType($what, 'a bool', $value);
                }
                return (bool) $value;
            case T::FLOAT:
            case T::DOUBLE:
                if (\is_int($value) || \is_float($value) || (\is_string($value) && is_numeric($value))) {
                    return (float) $value;
                }
                throw self::wrongType($what, 'a number', $value);
            case T::MESSAGE:
                if ($value instanceof $class) {
                    return $value;
                }
                if (\is_array($value)) {
                    return new $class($value);
                }
                throw self::wrongType($what, 'a ' . $class . ' or an array of its fields', $value);
            case T::ENUM:
                if (\is_string($value) && !is_numeric($value)) {
                    return $class::parse($value) ?? throw InvalidArgumentException::because(sprintf('%s: %s has no value of that name', $what, $class));
                }
                // An enum is held as its number.
            default:
                return self::toInteger($type, $value) ?? throw self::wrongType($what, 'an integer', $value);
        }
    }

    /** An integer of `$type` from an int, an integral float or decimal text; null if it is none. */
    private static function toInteger(int $type, #[\SensitiveParameter] mixed $value): ?int
    {
        if (\is_int($value)) {
            return $value;
        }
        if (\is_float($value)) {
            return is_finite($value) && floor($value) === $value && abs($value) < 9.2233720368547758E18 ? (int) $value : null;
        }
        if (!\is_string($value) || preg_match('/^-?\d+$/', $value) !== 1) {
            return \is_string($value) && is_numeric($value) ? self::toInteger($type, (float) $value) : null;
        }
        $number = filter_var($value, FILTER_VALIDATE_INT);
        if ($number !== false) {
            return $number;
        }
        if (($type === T::UINT64 || $type === T::FIXED64) && $value[0] !== '-') {
            // Above PHP_INT_MAX: held as the int of the same 64 bits, as google/protobuf does
            // (and written back unsigned).
            $digits = ltrim($value, '0');
            if (\strlen($digits) < 20 || (\strlen($digits) === 20 && strcmp($digits, '18446744073709551615') <= 0)) {
                return self::wrapUnsigned($digits);
            }
        }
        return null;
    }

    /** The int whose 64 bits are the unsigned decimal `$digits` (at most 2^64 - 1). */
    private static function wrapUnsigned(string $digits): int
    {
        // Two 32-bit halves, so that no step overflows a PHP int.
        $high = 0;
        $low = 0;
        foreach (str_split($digits) as $digit) {
            $low = $low * 10 + (int) $digit;
            $high = $high * 10 + ($low >> 32);
            $low &= 0xFFFFFFFF;
            $high &= 0xFFFFFFFF;
        }
        return ($high << 32) | $low;
    }

    private static function mapKey(int $type, int|string $key, string $what): int|string
    {
        if ($type === T::STRING) {
            return (string) $key;
        }
        if ($type === T::BOOL) {
            return (int) (bool) $key;
        }
        return self::toInteger($type, $key) ?? throw self::wrongType($what . ' key', 'an integer', $key);
    }

    private static function mapKeyToJson(int $type, int|string $key): string
    {
        if ($type === T::BOOL) {
            return $key ? 'true' : 'false';
        }
        return ($type === T::UINT64 || $type === T::FIXED64) ? sprintf('%u', $key) : (string) $key;
    }

    private static function mapKeyFromJson(int $type, string $key, string $where): int|string
    {
        if ($type === T::STRING) {
            return $key;
        }
        if ($type === T::BOOL) {
            return match ($key) {
                'true' => 1,
                'false' => 0,
                default => throw self::badJson($where . ' key', 'true or false'),
            };
        }
        return self::toInteger($type, $key) ?? throw self::badJson($where . ' key', 'an integer');
    }

    /** @return array<string, string> lowerCamelCase JSON name => proto name, for this class */
    private static function jsonNames(): array
    {
        if (!isset(self::$jsonNames[static::class])) {
            $names = [];
            foreach (static::FIELDS as $name => $_) {
                $names[lcfirst(str_replace('_', '', ucwords($name, '_')))] = $name;
            }
            self::$jsonNames[static::class] = $names;
        }
        return self::$jsonNames[static::class];
    }

    /** Never quotes the value: it may be a secret. */
    private static function wrongType(string $what, string $expected, #[\SensitiveParameter] mixed $value): InvalidArgumentException
    {
        return InvalidArgumentException::because(sprintf('%s must be %s, not %s', $what, $expected, get_debug_type($value)));
    }

    private static function badJson(string $where, string $expected): InvalidArgumentException
    {
        return InvalidArgumentException::because(sprintf('%s must be %s in the JSON', $where, $expected));
    }
}
