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

    /**
     * The class docs/errors.md says a result is thrown as in PHP: its kind from the table of
     * results, the kind's class from the PHP column of the table of kinds. Read from the
     * document itself, so that the binding is checked against it rather than against itself.
     *
     * @return class-string
     */
    protected static function documentedClass(string $result): string
    {
        static $kinds = null, $classes = null;
        if ($kinds === null) {
            $doc = (string) file_get_contents(\dirname(__DIR__, 3) . '/docs/errors.md');
            preg_match_all('/^\| (CLARIFAI_RESULT_\w+) \| (\w+) \|/m', $doc, $m);
            $kinds = array_combine($m[1], $m[2]);
            preg_match_all('/^\| (\w+) \| (\w+) \| [^|]+ \| ClarifaiErrorKind/m', $doc, $m);
            $classes = array_combine($m[1], $m[2]);
        }
        self::assertArrayHasKey($result, $kinds, "docs/errors.md has no row for $result");
        self::assertArrayHasKey($kinds[$result], $classes, "docs/errors.md has no PHP class for the kind {$kinds[$result]}");
        return 'Clarifai\\API\\Exception\\' . $classes[$kinds[$result]];
    }

    /** Fails when `$text` holds any credential the tests use. Never prints the secret itself. */
    protected static function assertNoSecret(string $text, string ...$more): void
    {
        foreach ([...self::emulator()->secrets(), self::CANARY_KEY, ...$more] as $i => $secret) {
            self::assertFalse(str_contains($text, $secret), "a secret (#$i) appears in the text");
        }
    }
}
