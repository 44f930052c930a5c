//! The ECR repository that holds the function's image.
//! Calls: CreateRepository, DescribeRepositories, ListTagsForResource,
//! PutLifecyclePolicy, DescribeImages,
//! DeleteRepository (force: it deletes the images too).

use aws_sdk_ecr::types::{ImageIdentifier, ImageScanningConfiguration, ImageTagMutability, Tag};
use aws_sdk_ecr::Client;

use crate::aws::{not_found_is_none, not_found_is_ok, AwsError, AwsResultExt};

#[derive(Debug, Clone)]
pub struct Repository {
    pub arn: String,
    pub uri: String,
}

pub async fn find(ecr: &Client, name: &str) -> Result<Option<Repository>, AwsError> {
    let out = not_found_is_none(
        ecr.describe_repositories()
            .repository_names(name)
            .send()
            .await
            .aws(),
    )?;
    Ok(out.and_then(|o| o.repositories().first().map(repository)))
}

/// The repository's stack tag (DescribeRepositories has no tags: then
/// ListTagsForResource).
pub async fn stack_tag(ecr: &Client, name: &str) -> Result<super::StackTag, AwsError> {
    let Some(repo) = find(ecr, name).await? else {
        return Ok(None);
    };
    let out = not_found_is_none(
        ecr.list_tags_for_resource()
            .resource_arn(&repo.arn)
            .send()
            .await
            .aws(),
    )?;
    Ok(out.map(|o| super::stack_tag(o.tags().iter().map(|t| (t.key(), t.value())))))
}

pub async fn create(ecr: &Client, name: &str, stack: &str) -> Result<Repository, AwsError> {
    let out = ecr
        .create_repository()
        .repository_name(name)
        // A tag names one build of one source: never moved.
        .image_tag_mutability(ImageTagMutability::Immutable)
        .image_scanning_configuration(
            ImageScanningConfiguration::builder()
                .scan_on_push(true)
                .build(),
        )
        .tags(
            Tag::builder()
                .key(super::STACK_TAG)
                .value(stack)
                .build()
                .expect("key and value set"),
        )
        .send()
        .await
        .aws()?;
    Ok(out
        .repository()
        .map(repository)
        .unwrap_or_else(|| Repository {
            arn: String::new(),
            uri: String::new(),
        }))
}

fn repository(r: &aws_sdk_ecr::types::Repository) -> Repository {
    Repository {
        arn: r.repository_arn().unwrap_or_default().to_owned(),
        uri: r.repository_uri().unwrap_or_default().to_owned(),
    }
}

/// How many images a repository keeps: the newest, which the function
/// runs, and a few before it to go back to (an older source's image is
/// found by its tag instead of built again). Untagged ones (a push
/// interrupted) go after a day.
pub const KEEP_IMAGES: u32 = 5;

/// The lifecycle policy that keeps `KEEP_IMAGES`.
pub fn lifecycle_policy() -> String {
    serde_json::json!({"rules": [
        {"rulePriority": 1, "description": "unfinished pushes",
         "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                       "countUnit": "days", "countNumber": 1},
         "action": {"type": "expire"}},
        {"rulePriority": 2, "description": format!("keep the newest {KEEP_IMAGES} images"),
         "selection": {"tagStatus": "any", "countType": "imageCountMoreThan",
                       "countNumber": KEEP_IMAGES},
         "action": {"type": "expire"}}
    ]})
    .to_string()
}

pub async fn put_lifecycle_policy(ecr: &Client, name: &str, policy: &str) -> Result<(), AwsError> {
    ecr.put_lifecycle_policy()
        .repository_name(name)
        .lifecycle_policy_text(policy)
        .send()
        .await
        .aws()?;
    Ok(())
}

/// The digest of the image under `tag`, if that tag was pushed.
pub async fn find_image(ecr: &Client, repo: &str, tag: &str) -> Result<Option<String>, AwsError> {
    let out = ecr
        .describe_images()
        .repository_name(repo)
        .image_ids(ImageIdentifier::builder().image_tag(tag).build())
        .send()
        .await
        .aws();
    let out = not_found_is_none(out)?;
    Ok(out.and_then(|o| {
        o.image_details()
            .first()
            .and_then(|d| d.image_digest().map(str::to_owned))
    }))
}

pub async fn delete(ecr: &Client, name: &str) -> Result<bool, AwsError> {
    // force: a repository with images is otherwise refused
    // (RepositoryNotEmptyException), the seed deployer's cleanup crash.
    not_found_is_ok(
        ecr.delete_repository()
            .repository_name(name)
            .force(true)
            .send()
            .await
            .aws(),
    )
}

/// The name of every repository in the region (for discovery).
pub async fn list_names(ecr: &Client) -> Result<Vec<String>, AwsError> {
    let mut names = Vec::new();
    let mut pages = ecr.describe_repositories().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.aws()?;
        names.extend(
            page.repositories()
                .iter()
                .filter_map(|r| r.repository_name().map(str::to_owned)),
        );
    }
    Ok(names)
}
