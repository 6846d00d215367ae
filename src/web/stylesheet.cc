// The staff web's stylesheet: plain, legible on an office PC and on a phone, printable.
#include "web/staff_web.h"

namespace sac::web {

const char* StaffStylesheet() {
  return R"css(:root { --tinta: #1d2733; --suave: #5b6672; --linea: #d5dbe1; --marca: #00606e;
  --fondo: #f6f8fa; --alerta: #a4262c; font-family: system-ui, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--tinta); background: var(--fondo); line-height: 1.45; }
.barra { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center;
  justify-content: space-between; padding: .6rem 1.2rem; background: var(--marca); color: #fff; }
.barra a { color: #fff; }
.marca { font-weight: 700; text-decoration: none; font-size: 1.15rem; }
.marca span { font-weight: 400; opacity: .85; font-size: .9rem; margin-left: .4rem; }
.quien { display: flex; gap: .8rem; align-items: center; }
.quien small { opacity: .85; }
.quien form { display: inline; margin: 0; }
.quien button { background: transparent; color: #fff; border: 1px solid #fff; }
main { max-width: 72rem; margin: 0 auto; padding: 1.2rem; }
h1 { font-size: 1.5rem; margin: .4rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--linea); }
th { font-size: .85rem; color: var(--suave); font-weight: 600; }
td:not(:first-child), th:not(:first-child) { text-align: right; }
.cifra strong { font-size: 1.6rem; }
.acceso, .aviso { max-width: 26rem; margin: 2rem auto; background: #fff; padding: 1.4rem;
  border: 1px solid var(--linea); border-radius: 6px; }
label { display: block; margin: 0 0 .9rem; font-weight: 600; }
input { display: block; width: 100%; margin-top: .3rem; padding: .5rem; font: inherit;
  border: 1px solid var(--linea); border-radius: 4px; }
button { font: inherit; padding: .45rem 1rem; border-radius: 4px; border: 0; cursor: pointer;
  background: var(--marca); color: #fff; }
.error { color: var(--alerta); font-weight: 600; }
nav { display: flex; gap: 1.2rem; padding: .4rem 1.2rem; background: #fff;
  border-bottom: 1px solid var(--linea); }
nav a { color: var(--marca); font-weight: 600; text-decoration: none; }
.hecho { background: #e3f4e8; border: 1px solid #9fd3ae; padding: .5rem .8rem; border-radius: 4px; }
.boleta { background: #fff; border: 1px solid var(--linea); border-radius: 6px; padding: 1rem;
  margin: 0 0 1rem; }
.boleta header { color: var(--suave); font-size: .9rem; }
.boleta header strong { color: var(--tinta); font-size: 1.05rem; }
.texto { font-size: 1.05rem; white-space: pre-wrap; }
.leido { color: var(--suave); }
mark { background: #ffe58f; padding: 0 .1rem; }
.lectura { display: flex; flex-wrap: wrap; gap: 2rem; }
.lectura ol { margin: .2rem 0; padding-left: 1.2rem; }
.lectura p { margin: .2rem 0; }
.decision { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; margin: .8rem 0 0; }
.decision label { margin: 0; flex: 1 1 12rem; }
select, textarea { display: block; width: 100%; margin-top: .3rem; padding: .45rem; font: inherit;
  border: 1px solid var(--linea); border-radius: 4px; }
details { margin-top: .6rem; }
.filtros { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; margin: 0 0 1rem; }
.filtros label { margin: 0; flex: 1 1 10rem; }
.lista td, .lista th { text-align: left; vertical-align: top; }
.lista .peticion { max-width: 32rem; }
.sin-leer td { font-weight: 600; }
.vencida td:last-child { color: var(--alerta); font-weight: 600; }
.estado { font-size: .9rem; background: var(--marca); color: #fff; border-radius: 999px;
  padding: .15rem .7rem; vertical-align: middle; }
.datos { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem;
  background: #fff; border: 1px solid var(--linea); border-radius: 6px; padding: 1rem; }
.alerta { color: var(--alerta); }
.bitacora, .notas { background: #fff; border: 1px solid var(--linea); border-radius: 6px;
  padding: .8rem 1rem .8rem 2.2rem; }
.bitacora li, .notas li { margin: .3rem 0; }
.bitacora time, .notas time { color: var(--suave); font-size: .9rem; }
blockquote { margin: .3rem 0 .3rem 1rem; color: var(--suave); white-space: pre-wrap; }
.llamada { display: flex; gap: .4rem; }
.llamada input { margin: 0; min-width: 12rem; }
.graficas { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem;
  margin: 1rem 0; }
.grafica { position: relative; height: 18rem; min-width: 0; background: #fff;
  border: 1px solid var(--linea); border-radius: 6px; padding: .5rem; }
.cifras { margin: 0 0 1rem; }
.cifras caption { text-align: left; font-weight: 600; padding: .4rem 0; }
.sugerencia { min-height: 1.4rem; color: var(--marca); margin: -.4rem 0 .9rem; }
.archivos { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .6rem; }
.archivos img { max-width: 14rem; max-height: 14rem; border-radius: 4px; border: 1px solid var(--linea); }
.boleta:focus { outline: 3px solid var(--marca); outline-offset: 2px; }
kbd { border: 1px solid var(--linea); border-radius: 3px; padding: 0 .3rem; background: #fff;
  font-family: inherit; }
.oculto { position: absolute; left: -9999px; }
.lista input[type=checkbox] { width: auto; margin: 0; }
summary { cursor: pointer; color: var(--marca); font-weight: 600; }
fieldset { border: 1px solid var(--linea); border-radius: 6px; margin: 0 0 1rem; padding: .8rem; }
legend { font-weight: 600; padding: 0 .3rem; }
.opcion { display: flex; gap: .5rem; align-items: center; font-weight: 400; margin: .3rem 0; }
.opcion input { width: auto; margin: 0; }
.captura { max-width: 44rem; }
.ficha { background: #fff; border: 2px solid var(--tinta); border-radius: 6px; padding: 1.4rem;
  max-width: 40rem; }
.folio { font-size: 3rem; font-weight: 800; letter-spacing: .05em; margin: .2rem 0 .8rem; }
dt { font-weight: 600; color: var(--suave); font-size: .85rem; margin-top: .6rem; }
dd { margin: 0; white-space: pre-wrap; }
.nota { color: var(--suave); font-size: .9rem; margin-top: 1.2rem; }
.descargas { font-size: .9rem; }
.bien { color: #1d7a3a; font-weight: 600; }
.mal { color: var(--alerta); font-weight: 600; }
.menu-admin li { margin: .5rem 0; }
form.en-linea { display: inline-flex; gap: .4rem; align-items: flex-start; margin: 0 .3rem .3rem 0; }
button.peligro { background: var(--alerta); }
label.casilla { display: flex; gap: .4rem; align-items: center; font-weight: normal; }
table.mensajes th { text-align: left; vertical-align: top; width: 16rem; padding-right: 1rem; }
td.mensaje { white-space: pre-wrap; background: #fff; border-left: 3px solid var(--marca);
  padding: .4rem .7rem; }
pre { white-space: pre-wrap; }
a.boton { display: inline-block; padding: .35rem .8rem; border-radius: .3rem; background: var(--marca);
  color: #fff; text-decoration: none; font-weight: 600; }
.reunion { margin-top: 1.6rem; }
@media print { .barra, nav, .no-imprimir { display: none; } body { background: #fff; }
  .ficha { border: 0; } }
)css";
}

}  // namespace sac::web
