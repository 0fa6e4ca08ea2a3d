/** The S3 client as lambda/baseline/s3-store.ts imports it, for deps-only.ts to load lazily. */
export {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
