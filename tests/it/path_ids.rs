//! Ids in URLs (issue 13 §4): anything that is not a positive decimal number answers 404 with
//! the French "not found" page, exactly like an unknown id — never axum's English 400.

use crate::common::app::TestApp;

#[tokio::test(flavor = "multi_thread")]
async fn malformed_ids_in_the_path_answer_the_not_found_page() {
    let app = TestApp::start().await;
    let admin = app.as_user("admin.a").await;
    let (status, known) = app.get(&admin, "/admin/personnes/999999").await;
    assert_eq!(status, 404);
    for path in [
        "/admin/personnes/abc",
        "/admin/personnes/+1",
        "/admin/personnes/0",
        "/admin/personnes/-3",
        "/admin/personnes/99999999999999999999999",
        "/admin/etablissements/1x/personnes",
        "/admin/classes/%20",
        "/admin/groupes/un",
        "/admin/matieres/1.5",
        "/admin/signalements/0x10",
        "/personnes/%E2%80%8B1",
        "/classes/douze",
    ] {
        let (status, body) = app.get(&admin, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("<html"), "{path}: {body}");
        assert_eq!(body, known, "{path} answers like an unknown id");
        assert!(!body.contains("Invalid URL"), "{path}: {body}");
    }
}
