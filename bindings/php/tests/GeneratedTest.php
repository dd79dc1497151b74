<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

/**
 * generated/ is what bin/gen-messages writes from resources/messages.json, as
 * resources/clarifai.h is the repository's header: regenerate after changing either (the schema
 * itself is checked against clarifai-grpc by scripts/gen-php-messages --check).
 */
final class GeneratedTest extends TestCase
{
    public function testGeneratedClassesAreFresh(): void
    {
        $package = \dirname(__DIR__);
        $out = sys_get_temp_dir() . '/clarifai-php-generated-' . getmypid();
        try {
            exec(sprintf('%s %s %s 2>&1', escapeshellarg(PHP_BINARY), escapeshellarg($package . '/bin/gen-messages'), escapeshellarg($out)), $output, $status);
            $this->assertSame(0, $status, implode("\n", $output));
            $this->assertSame($this->tree($out), $this->tree($package . '/generated'), 'run php bin/gen-messages and commit generated/');
        } finally {
            exec('rm -rf ' . escapeshellarg($out));
        }
    }

    public function testTheSchemaCoversTheCatalogue(): void
    {
        $schema = json_decode((string) file_get_contents(\dirname(__DIR__) . '/resources/messages.json'), true, 512, JSON_THROW_ON_ERROR);
        $catalog = json_decode((string) file_get_contents(\dirname(__DIR__, 3) . '/src/catalog/catalog.json'), true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame(array_column($catalog['endpoints'], 'name'), array_column($schema['rpcs'], 'name'));
        $this->assertSame(strtok($catalog['source'], ','), strtok($schema['source'], ','), 'the same clarifai-grpc release');
    }

    /** @return array<string, string> relative path => SHA-256 of the contents */
    private function tree(string $dir): array
    {
        $files = [];
        $iterator = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator($dir, \FilesystemIterator::SKIP_DOTS));
        foreach ($iterator as $path => $_) {
            $files[substr($path, \strlen($dir) + 1)] = hash_file('sha256', $path);
        }
        ksort($files);
        return $files;
    }
}
