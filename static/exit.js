/* Quick exit. ES5. */
(function(w,d){var L=w.location,b,s,g,n=0,t=0,k,c;
if(!d.addEventListener)return;
function on(e,f,o){(o||d).addEventListener(e,f,!1)}
function say(x){if(s)s.textContent=x?b.getAttribute("data-"+x):"";clearTimeout(c)}
function keep(p,c){for(var e=p.firstChild,x;e;e=x){x=e.nextSibling;e!=c&&p.removeChild(e)}}
function blank(){d.title="\u00a0";if(b&&d.body){keep(d.body,b);keep(b,s);b.className=""}}
function go(e){e&&e.preventDefault();g=1;say("leaving");blank();L.replace("/exit")}
function same(a){return a.protocol==L.protocol&&a.host==L.host}
function sh(e){return e.key=="Shift"||e.keyCode==16}
function enc(x){return encodeURIComponent(x).replace(/%20/g,"+")}
function init(){b=d.getElementById("exit-bar");s=d.getElementById("exit-status");if(!b)return;
on("click",function(e){var a=e.target;while(a&&a.nodeName!="A")a=a.parentNode;if(!a||e.defaultPrevented)return;if(a.id=="exit")return go(e);
if(e.button||e.ctrlKey||e.metaKey||e.shiftKey||e.altKey||a.target||a.hasAttribute("download")||!same(a))return;
e.preventDefault();L.replace(a.href)});
on("submit",function(e){var f=e.target,a=d.createElement("a"),q=[],i,j,l,o,y;if(e.defaultPrevented||/post/i.test(f.getAttribute("method"))||f.target)return;a.href=f.getAttribute("action")||L.href;if(!same(a))return;
for(i=0;(l=f.elements[i]);i++){y=l.type;if(!l.name||l.disabled||/^(su|bu|re|im|fi)/.test(y)||/^(ch|rad)/.test(y)&&!l.checked)continue;
for(j=0;(o=l.options?l.options[j]:j?0:l);j++)if(!l.options||o.selected)q.push(enc(l.name)+"="+enc(o.value))}
e.preventDefault();L.replace(a.href.split(/[?#]/)[0]+"?"+q.join("&"))});
on("keydown",function(e){if(sh(e))e.repeat||(k=0);else{k=1;n=0;say()}});
on("keyup",function(e){var m=+new Date;if(!sh(e)||g)return;if(k)return k=0;if(m-t>5e3)n=0;t=m;if(++n>2)go();else{say(n>1?"one":"two");c=setTimeout(say,5e3)}})}
on("pageshow",function(e){e.persisted&&g&&(blank(),L.replace("/exit"))},w);
d.readyState=="loading"?on("DOMContentLoaded",init):init()})(window,document);
