<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc\WellKnown;

/**
 * The fractional seconds of Timestamp and Duration JSON: 0, 3, 6 or 9 digits, as protobuf writes.
 *
 * @internal
 */
final class Fraction
{
    public static function format(int $nanos): string
    {
        $nanos = abs($nanos);
        if ($nanos === 0) {
            return '';
        }
        if ($nanos % 1_000_000 === 0) {
            return sprintf('.%03d', intdiv($nanos, 1_000_000));
        }
        if ($nanos % 1_000 === 0) {
            return sprintf('.%06d', intdiv($nanos, 1_000));
        }
        return sprintf('.%09d', $nanos);
    }

    /** Nanoseconds from ".5", ".123456789" or "". */
    public static function parse(string $fraction): int
    {
        return $fraction === '' ? 0 : (int) str_pad(substr($fraction, 1), 9, '0');
    }
}
