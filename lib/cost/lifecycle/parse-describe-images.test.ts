import { describe, expect, it } from "vitest";
import { parseAwsTimestamp, parseDescribeImages } from "./parse-describe-images";

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe("parseDescribeImages", () => {
  it("reads the AWS CLI's output (ISO times) and the wire format (epoch seconds) alike", () => {
    const parsed = parseDescribeImages({
      imageDetails: [
        {
          registryId: "111111111111",
          repositoryName: "team/api",
          imageDigest: digest("a"),
          imageTags: ["v1"],
          imageSizeInBytes: 1234,
          imagePushedAt: "2026-11-01T10:00:00.123000+01:00",
          lastRecordedPullTime: 1_763_000_000.25,
          imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json",
          artifactMediaType: "application/vnd.oci.image.config.v1+json",
        },
        { imageDigest: digest("b"), imagePushedAt: 1_700_000_000, imageStatus: "ARCHIVED", lastArchivedAt: "2026-06-01T00:00:00Z" },
        { imageDigest: digest("c"), imageTags: [`sha256-${"a".repeat(64)}.sig`], imagePushedAt: 1_700_000_000, artifactMediaType: "application/vnd.dev.cosign.artifact.sig.v1+json", imageStatus: "ACTIVE", lastActivatedAt: 1_750_000_000 },
      ],
    });
    expect(parsed).toEqual({
      ok: true,
      images: [
        { digest: digest("a"), tags: ["v1"], sizeBytes: 1234, pushedAt: new Date("2026-11-01T09:00:00.123Z"), lastPulledAt: new Date(1_763_000_000_250), storageClass: "STANDARD", transitionedAt: null, layers: null, layersReadable: true },
        { digest: digest("b"), tags: [], sizeBytes: 0, pushedAt: new Date(1_700_000_000_000), lastPulledAt: null, storageClass: "ARCHIVE", transitionedAt: new Date("2026-06-01T00:00:00Z"), layers: null, layersReadable: true },
        // A signature: its layers are never read, so it does not make freed bytes an upper bound.
        { digest: digest("c"), tags: [`sha256-${"a".repeat(64)}.sig`], sizeBytes: 0, pushedAt: new Date(1_700_000_000_000), lastPulledAt: null, storageClass: "STANDARD", transitionedAt: new Date(1_750_000_000_000), layers: null, layersReadable: false },
      ],
    });
  });

  it("accepts the imageDetails array alone", () => {
    expect(parseDescribeImages([{ imageDigest: digest("a"), imagePushedAt: 0 }])).toMatchObject({ ok: true, images: [{ digest: digest("a"), pushedAt: new Date(0) }] });
  });

  it("names every bad entry and field", () => {
    const parsed = parseDescribeImages({
      imageDetails: [
        { imageDigest: digest("a"), imagePushedAt: "yesterday" },
        "sha256:x",
        { imageDigest: "latest", imageTags: "v1", imageSizeInBytes: "12", imagePushedAt: -5, lastRecordedPullTime: "2026-13-45" },
        { imageDigest: digest("a"), imagePushedAt: 1, imageStatus: "DELETED" },
        { imageDigest: digest("d") },
      ],
    });
    expect(parsed).toEqual({
      ok: false,
      errors: [
        { path: "imageDetails[0].imagePushedAt", message: 'is not a date (an ISO 8601 string or epoch seconds), it is "yesterday"' },
        { path: "imageDetails[1]", message: 'must be an object (an ImageDetail), not "sha256:x"' },
        { path: "imageDetails[2].imageDigest", message: 'must be an image digest such as sha256:<hex>, not "latest"' },
        { path: "imageDetails[2].imageTags", message: 'must be an array of strings, not "v1"' },
        { path: "imageDetails[2].imageSizeInBytes", message: 'must be a whole number of bytes, not "12"' },
        { path: "imageDetails[2].imagePushedAt", message: "is not a date (epoch seconds must be a number of at least 0, not -5)" },
        { path: "imageDetails[2].lastRecordedPullTime", message: 'is not a date (an ISO 8601 string or epoch seconds), it is "2026-13-45"' },
        { path: "imageDetails[3].imageDigest", message: `repeats imageDetails[0]'s digest ${digest("a")}` },
        { path: "imageDetails[3].imageStatus", message: 'must be one of ACTIVE, ARCHIVED, ACTIVATING, not "DELETED"' },
        { path: "imageDetails[4].imagePushedAt", message: "is required (when the image was pushed)" },
      ],
    });
  });

  it("refuses what is not DescribeImages output", () => {
    expect(parseDescribeImages({ images: [] })).toMatchObject({ ok: false, errors: [{ path: "", message: expect.stringMatching(/imageDetails array/) }] });
  });
});

describe("parseAwsTimestamp", () => {
  it.each([
    ["2026-11-28", new Date("2026-11-28T00:00:00Z")],
    ["2026-11-28T12:30:00Z", new Date("2026-11-28T12:30:00Z")],
    ["2026-11-28T12:30:00.5-05:00", new Date("2026-11-28T17:30:00.5Z")],
    [1_764_331_200.5, new Date(1_764_331_200_500)],
  ])("reads %s", (value, expected) => {
    expect(parseAwsTimestamp(value)).toEqual(expected);
  });

  it.each(["28/11/2026", "now", "", "1764331200", null, true])("refuses %s", (value) => {
    expect(parseAwsTimestamp(value)).toMatch(/is not a date/);
  });
});
