<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

/**
 * An enum of the Clarifai API: the base of the generated enum classes, which hold its values as
 * constants (`StatusCode::SUCCESS` is 10000), as google/protobuf's PHP enums do. A value whose
 * name is a PHP reserved word has the prefix PB (`DataType::PBLIST` for LIST).
 */
abstract class Enum
{
    /** @var array<int, string> number => proto name (the first, where names share a number) */
    protected const NAMES = [];

    /** @var array<string, int> proto name => number */
    protected const VALUES = [];

    /** The proto name of `$value`, e.g. "SUCCESS" for 10000. */
    public static function name(int $value): string
    {
        return static::NAMES[$value]
            ?? throw new \UnexpectedValueException(sprintf('Enum %s has no name defined for value %d', static::class, $value));
    }

    /** The number of the value named `$name` (the proto name, in any case). */
    public static function value(string $name): int
    {
        return static::parse($name)
            ?? throw new \UnexpectedValueException(sprintf('Enum %s has no value defined for that name', static::class));
    }

    /**
     * The number of `$name`, or null when there is none.
     *
     * @internal
     */
    public static function parse(string $name): ?int
    {
        return static::VALUES[$name] ?? static::VALUES[strtoupper($name)] ?? null;
    }

    /**
     * How the API's JSON writes `$value`: its name, or the number when this version knows none.
     *
     * @internal
     */
    public static function nameOrNumber(int $value): string|int
    {
        return static::NAMES[$value] ?? $value;
    }

    private function __construct()
    {
    }
}
