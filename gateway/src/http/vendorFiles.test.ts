import { describe, expect, it } from 'vitest';
import { vendorFiles } from './vendorFiles.ts';

describe('vendorFiles', () => {
  it('serves uPlot\'s module and stylesheet from the installed package, with their content types', () => {
    const files = vendorFiles();
    const script = files.get('/dashboard/vendor/uPlot.esm.js')!;
    expect(script.contentType).toBe('text/javascript; charset=utf-8');
    expect(script.body.toString('utf8')).toContain('export { uPlot as default }');
    expect(files.get('/dashboard/vendor/uPlot.min.css')!.contentType).toBe('text/css; charset=utf-8');
    expect(files.get('/dashboard/vendor/uPlot.min.css')!.body.toString('utf8')).toContain('.uplot');
  });
});
