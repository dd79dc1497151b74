<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\ClarifaiClient;

abstract class TestCase extends \PHPUnit\Framework\TestCase
{
    /** The key the conformance vectors use for "unknown key": it must never be printed. */
    protected const CANARY_KEY = 'canary-0123456789abcdef-CANARY';

    protected static function emulator(): Emulator
    {
        return Emulator::get();
    }

    /** @param array<string, mixed> $options */
    protected static function apiKeyClient(?string $key = null, array $options = []): ClarifaiClient
    {
        return new ClarifaiClient($key ?? self::emulator()->apiKey(), $options + ['baseUrl' => self::emulator()->url(), 'maxRetries' => 0]);
    }

    /** @param array<string, mixed> $options */
    protected static function patClient(array $options = []): ClarifaiClient
    {
        $emulator = self::emulator();
        return ClarifaiClient::withPat($emulator->pat(), $emulator->userId(), $emulator->appId(), $options + ['baseUrl' => $emulator->url(), 'maxRetries' => 0]);
    }

    /** Fails when `$text` holds any credential the tests use. Never prints the secret itself. */
    protected static function assertNoSecret(string $text, string ...$more): void
    {
        foreach ([...self::emulator()->secrets(), self::CANARY_KEY, ...$more] as $i => $secret) {
            self::assertFalse(str_contains($text, $secret), "a secret (#$i) appears in the text");
        }
    }
}
