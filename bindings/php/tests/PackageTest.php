<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\ClarifaiClient;
use Clarifai\API\Native\Library;

/** The Composer package's declared version is the library's (tests/install-test.php installs it). */
final class PackageTest extends TestCase
{
    public function testComposerJsonDeclaresTheVersionOfTheHeaderCargoAndTheLibrary(): void
    {
        $composer = json_decode((string) file_get_contents(\dirname(__DIR__) . '/composer.json'), true, 512, JSON_THROW_ON_ERROR);
        $this->assertMatchesRegularExpression('/^\d+\.\d+\.\d+$/', $composer['version']);
        $this->assertSame(Library::headerVersion(), $composer['version'], 'resources/clarifai.h');
        $this->assertSame(ClarifaiClient::version(), $composer['version'], 'the library');
        $cargo = (string) file_get_contents(\dirname(__DIR__, 3) . '/Cargo.toml');
        $this->assertSame(1, preg_match('/^\[package\]\n(?:[^\[].*\n)*?version = "([^"]+)"/m', $cargo, $m));
        $this->assertSame($m[1], $composer['version'], 'Cargo.toml');
    }
}
